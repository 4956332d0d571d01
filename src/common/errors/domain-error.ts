import { HttpException } from '@nestjs/common';
import { ErrorBody, errorBody } from './error-body';
import { ERROR_STATUS, ErrorCode } from './error-code.enum';

/**
 * The one exception type services throw, with a stable code. It is an HttpException whose
 * response is the contract's error JSON, so a host app's own exception handling (Nest's default
 * filter included) answers 401/403/… with that JSON; DomainExceptionFilter adds the request id.
 */
export class DomainError extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Listed beside the message in the error body (CONFIRMATION_REQUIRED: what to confirm). */
    readonly warnings?: string[],
    /** What went wrong underneath (logged, never sent). */
    cause?: unknown,
  ) {
    const body: ErrorBody = errorBody(ERROR_STATUS[code], code, message);
    super(warnings ? { ...body, warnings } : body, body.statusCode, cause === undefined ? undefined : { cause });
    this.name = 'DomainError';
  }
}
