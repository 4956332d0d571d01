export type AlbClaims = Record<string, unknown>;

/** What a verified ALB token tells us; the raw token itself is never kept. */
export interface VerifiedAlbToken {
  sub: string;
  claims: AlbClaims;
  kid: string;
  signer: string;
  /** Seconds since the epoch: the earlier of the header and payload exp. */
  exp: number;
}
