import { AlbJwtInvalidSignerError, JwtExpiredError, JwtInvalidIssuerError, JwtNotBeforeError } from 'aws-jwt-verify/error';
import { ErrorCode } from '../../common/errors/error-code.enum';

export interface VerifyFailure {
  code: ErrorCode;
  message: string;
}

/**
 * aws-jwt-verify's errors as our codes. Plain data, because verify threads send it back to the
 * event loop, where class identities do not survive the trip. Verify threads load this file: it
 * must stay free of Nest (DomainError is an HttpException).
 */
export function classifyVerifyError(error: unknown): VerifyFailure {
  if (error instanceof JwtExpiredError) return { code: ErrorCode.TOKEN_EXPIRED, message: 'token has expired' };
  if (error instanceof AlbJwtInvalidSignerError) {
    return { code: ErrorCode.SIGNER_NOT_TRUSTED, message: 'token signer is not a trusted load balancer' };
  }
  if (error instanceof JwtNotBeforeError) return { code: ErrorCode.TOKEN_INVALID, message: 'token is not valid yet (nbf)' };
  if (error instanceof JwtInvalidIssuerError) return { code: ErrorCode.TOKEN_INVALID, message: 'token issuer is not trusted' };
  const message = error instanceof Error && error.message === 'Invalid signature' ? 'token signature is invalid' : 'token is invalid';
  return { code: ErrorCode.TOKEN_INVALID, message };
}
