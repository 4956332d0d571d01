import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { DomainExceptionFilter } from '../../common/errors/domain-exception.filter';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { ScimError } from './scim-error';

interface AdapterResponse {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  send(body?: unknown): unknown;
}

const contract = new DomainExceptionFilter();

/**
 * Errors on /scim/v2 in SCIM's shape (RFC 7644 §3.12) with `application/scim+json`, whatever
 * raised them: classified as everywhere else (a database outage is 503, a client's mistake a 4xx),
 * then worded for SCIM.
 */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ScimExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    this.answer(exception, host.switchToHttp().getResponse<AdapterResponse>());
  }

  answer(exception: unknown, response: AdapterResponse): void {
    const error = this.toScimError(exception);
    response.status(error.status);
    response.header('content-type', 'application/scim+json');
    response.send(JSON.stringify(error.body()));
  }

  private toScimError(exception: unknown): ScimError {
    if (exception instanceof ScimError) return exception;
    const body = contract.toBody(exception);
    if (body.code === ErrorCode.INTERNAL_ERROR) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
      return new ScimError(500, 'Internal error');
    }
    if (body.code === ErrorCode.DATABASE_UNAVAILABLE) this.logger.warn(`Database unavailable: ${(exception as Error)?.message ?? String(exception)}`);
    const scimType =
      body.code === ErrorCode.CONFLICT ? 'uniqueness' : exception instanceof DomainError && body.code === ErrorCode.VALIDATION_FAILED ? 'invalidValue' : body.statusCode === 400 ? 'invalidSyntax' : undefined;
    return new ScimError(body.statusCode, body.message, scimType);
  }
}
