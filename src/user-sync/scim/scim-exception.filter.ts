import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { ERROR_STATUS, ErrorCode } from '../../common/errors/error-code.enum';
import { ScimError } from './scim-error';

interface AdapterResponse {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  send(body?: unknown): unknown;
}

/** Errors on /scim/v2 in SCIM's shape (RFC 7644 §3.12), whatever raised them. */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ScimExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = toScimError(exception);
    if (error.status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const response = host.switchToHttp().getResponse<AdapterResponse>();
    response.status(error.status);
    response.header('content-type', 'application/scim+json');
    response.send(JSON.stringify(error.body()));
  }
}

function toScimError(exception: unknown): ScimError {
  if (exception instanceof ScimError) return exception;
  if (exception instanceof DomainError) {
    const status = ERROR_STATUS[exception.code];
    const scimType = exception.code === ErrorCode.CONFLICT ? 'uniqueness' : exception.code === ErrorCode.VALIDATION_FAILED ? 'invalidValue' : undefined;
    return new ScimError(status, exception.message, scimType);
  }
  if (exception instanceof HttpException) return new ScimError(exception.getStatus(), exception.message, exception.getStatus() === 400 ? 'invalidSyntax' : undefined);
  return new ScimError(500, 'Internal error');
}
