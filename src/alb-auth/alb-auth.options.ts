import type { LogoutSettings } from './logout/logout-settings';

export interface AlbKeyCacheOptions {
  /** Keys kept by kid (LRU). */
  maxKeys?: number | undefined;
  /** After a failed fetch, that kid is not fetched again for this long. */
  failureBackoffMs?: number | undefined;
  /** Unknown kids may cause this many fetches in a burst... */
  fetchBurst?: number | undefined;
  /** ...and one more fetch per this many ms after that. */
  fetchRefillMs?: number | undefined;
  fetchTimeoutMs?: number | undefined;
  /**
   * Once that budget is spent, a request with an unknown kid waits up to this long for a
   * priority fetch: every `priorityFetchIntervalMs`, the unknown kid asked for most often (at least
   * twice) in the last `demandWindowMs` is fetched. A kid the ALB really uses is asked for by every
   * request; a flood of random kids asks for each once, so it cannot starve rotation.
   */
  unknownKidWaitMs?: number | undefined;
  priorityFetchIntervalMs?: number | undefined;
  demandWindowMs?: number | undefined;
}

export interface AlbAccessTokenOptions {
  /**
   * Expected `iss` of the access token the ALB forwards. An Amazon Cognito user pool's issuer
   * (https://cognito-idp.<region>.amazonaws.com/<pool id>) is verified as a Cognito access token.
   */
  issuer: string;
  /** The issuer's JWKS; default for Cognito `<issuer>/.well-known/jwks.json`, required otherwise. */
  jwksUri?: string | undefined;
  /** When set, the token's client must be one of them (Cognito: `client_id`; otherwise `aud`). */
  clientIds?: string[] | null | undefined;
  /** Default `x-amzn-oidc-accesstoken`. */
  header?: string | undefined;
  /** After a failed JWKS fetch or a kid the JWKS lacks, no fetch for this long (default 10 s). */
  unknownKidBackoffMs?: number | undefined;
  fetchTimeoutMs?: number | undefined;
}

export interface AlbAuthModuleOptions {
  /** ARNs of the trusted load balancers: the token header `signer` must be one of them. */
  arns: string[];
  /** Expected `iss` in the token header and payload. */
  issuer: string;
  /** When set, the token header `client` must be one of them. */
  clientIds?: string[] | null | undefined;
  /** Base URL of the public-key endpoint; default derived from the first ARN. */
  keyEndpoint?: string | undefined;
  tokenHeader?: string | undefined;
  graceSeconds?: number | undefined;
  keyCache?: AlbKeyCacheOptions | undefined;
  /** Verified tokens remembered until their exp. */
  verifiedTokenCacheSize?: number | undefined;
  /** GET /logout, when no LogoutSettingsSource (UserSync's settings) is provided: default expire the cookies, answer 200. */
  logout?: Partial<LogoutSettings> | undefined;
  /** Verify the forwarded access token too, so that mappings may read its claims (`access:<claim>`). */
  accessToken?: AlbAccessTokenOptions | null | undefined;
  /**
   * Threads that check the signatures of fresh tokens off the event loop; 0 checks them on it.
   * Default: one less than the cores, at most 4.
   */
  verifyThreads?: number | undefined;
  /**
   * The event loop's busy share (0–1, over the last 100 ms) from which fresh tokens go to the verify
   * threads; below it they are checked on the event loop, which saves the hop's latency. Default
   * 0.25 (a quiet service keeps the hop's latency off its requests; a busy one uses the thread);
   * 0 sends every fresh token to a thread.
   */
  verifyThreadsAtLoad?: number | undefined;
}

/** The header an ALB puts its signed claims in. */
export const DEFAULT_TOKEN_HEADER = 'x-amzn-oidc-data';

/** The header an ALB forwards the IdP's access token in. */
export const DEFAULT_ACCESS_TOKEN_HEADER = 'x-amzn-oidc-accesstoken';

export const RESOLVED_ALB_AUTH_OPTIONS = Symbol('RESOLVED_ALB_AUTH_OPTIONS');

export interface ResolvedAccessTokenOptions {
  issuer: string;
  jwksUri: string;
  clientIds: string[] | null;
  header: string;
  /** The pool id when the issuer is a Cognito user pool's. */
  cognitoUserPoolId: string | null;
  unknownKidBackoffMs: number;
  fetchTimeoutMs: number;
}

export interface ResolvedAlbAuthOptions {
  arns: string[];
  issuer: string;
  clientIds: string[] | null;
  keyEndpoint: string;
  tokenHeader: string;
  graceSeconds: number;
  keyCache: Required<AlbKeyCacheOptions>;
  verifiedTokenCacheSize: number;
  logout: LogoutSettings;
  accessToken: ResolvedAccessTokenOptions | null;
  verifyThreads: number;
  verifyThreadsAtLoad: number;
}
