import type { ErrorCode } from '../../common/errors/error-code.enum';

export type AlbClaims = Record<string, unknown>;

/** The forwarded access token: its verified claims (and exp), or why they cannot be used. */
export type AccessTokenOutcome = { claims: AlbClaims; exp: number } | { refusal: { code: ErrorCode; reason: string } };

/** What a verified ALB token tells us; the raw token itself is never kept. */
export interface VerifiedAlbToken {
  sub: string;
  claims: AlbClaims;
  kid: string;
  signer: string;
  /** Seconds since the epoch: the earlier of the header and payload exp. */
  exp: number;
  /** Present when access tokens are verified (AlbAuth option `accessToken`). */
  access?: AccessTokenOutcome;
}
