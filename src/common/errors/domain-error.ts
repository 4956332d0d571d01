import { ErrorCode } from './error-code.enum';

/**
 * The one exception type services throw. It carries a stable code; the HTTP status is decided in
 * one place (DomainExceptionFilter), so services stay free of HTTP concerns.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Listed beside the message in the error body (CONFIRMATION_REQUIRED: what to confirm). */
    readonly warnings?: string[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
