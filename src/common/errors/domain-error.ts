import { ErrorCode } from './error-code.enum';

/**
 * The one exception type services throw. It carries a stable code; the HTTP status is decided in
 * one place (DomainExceptionFilter), so services stay free of HTTP concerns.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
