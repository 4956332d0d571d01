import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { requestContext } from '../http/request-context';
import { DomainError } from './domain-error';
import { isDatabaseUnavailable } from './database-unavailable';
import { ErrorBody, errorBody } from './error-body';
import { ERROR_STATUS, ErrorCode } from './error-code.enum';

/** Express's and Fastify's response objects, as far as an error answer needs them. */
interface FrameworkResponse {
  status(code: number): unknown;
  send(payload: string): unknown;
  type?(contentType: string): unknown;
  header?(name: string, value: string): unknown;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.TOKEN_MISSING,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  408: ErrorCode.REQUEST_TIMEOUT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  414: ErrorCode.URI_TOO_LONG,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

/** Maps every error, domain or framework, to the contract's JSON `{ statusCode, error, message, code }`. */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    this.answer(exception, host.switchToHttp().getRequest(), host.switchToHttp().getResponse());
  }

  /** Answers `exception` on the framework's response object, or on Node's own (GET /api/me, answered before routing). */
  answer(exception: unknown, request: unknown, response: FrameworkResponse | ServerResponse): void {
    const context = requestContext(request);
    const body: ErrorBody = { ...this.toBody(exception), ...(context && { requestId: context.id }) };
    if (context) context.code = body.code;
    // A DomainError was logged where it was raised (the login's outage: LoginResolver).
    if (body.code === ErrorCode.DATABASE_UNAVAILABLE && !(exception instanceof DomainError)) {
      this.logger.warn({ msg: `Database unavailable: ${(exception as Error)?.message ?? String(exception)}`, requestId: context?.id });
    } else if (body.statusCode >= 500 && body.code === ErrorCode.INTERNAL_ERROR) {
      // The request id ties the stack to the request's own log line (there is no per-request logger).
      this.logger.error({ msg: describeForLog(exception), requestId: context?.id });
    }
    const payload = JSON.stringify(body);
    // Works for both the Express and the Fastify response objects.
    if ('send' in response && typeof response.status === 'function' && typeof response.send === 'function') {
      response.status(body.statusCode);
      if (typeof response.type === 'function') response.type('application/json');
      else if (typeof response.header === 'function') response.header('content-type', 'application/json');
      response.send(payload);
      return;
    }
    const node = response as ServerResponse;
    node.statusCode = body.statusCode;
    node.setHeader('content-type', 'application/json; charset=utf-8');
    node.end(payload);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      const body = errorBody(ERROR_STATUS[exception.code], exception.code, exception.message);
      return exception.warnings ? { ...body, warnings: exception.warnings } : body;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_FAILED);
      return errorBody(status, code, httpExceptionMessage(exception));
    }
    if (isDatabaseUnavailable(exception)) {
      return errorBody(503, ErrorCode.DATABASE_UNAVAILABLE, 'The database is unavailable; try again shortly');
    }
    const status = (exception as { status?: unknown })?.status;
    // Body-parser errors (malformed JSON, too large) carry a 4xx status: a client's mistake, not a 500.
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return errorBody(status, CODE_BY_STATUS[status] ?? ErrorCode.VALIDATION_FAILED, (exception as Error).message);
    }
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL_ERROR, 'Internal server error');
  }
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}

/**
 * What an unexpected error tells the log. The stack helps operators and never holds request
 * headers; a database driver's message quotes the offending values (a duplicate key, a too-long
 * name), which may be claim data, so for those only the driver's code and the parameterized SQL.
 */
export function describeForLog(exception: unknown): string {
  if (exception instanceof QueryFailedError) {
    const driver = (exception as QueryFailedError & { driverError?: { code?: unknown; errno?: unknown } }).driverError;
    const frames = exception.stack?.split('\n').slice(1).join('\n') ?? '';
    return `Database error ${String(driver?.code ?? 'unknown')} (${String(driver?.errno ?? '-')}) in: ${String(exception.query).slice(0, 500)}\n${frames}`;
  }
  return exception instanceof Error ? exception.stack ?? exception.message : String(exception);
}
