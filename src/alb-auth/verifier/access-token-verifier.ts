import { Inject, Injectable, Logger } from '@nestjs/common';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtNotBeforeError,
  JwtParseError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import type { Fetcher } from 'aws-jwt-verify/https';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { metrics } from '../../common/metrics';
import { RESOLVED_ALB_AUTH_OPTIONS, ResolvedAccessTokenOptions, ResolvedAlbAuthOptions } from '../alb-auth.options';
import { AccessTokenOutcome } from './alb-token.types';

/** The largest JWKS document read (IdPs publish a few keys: 2–10 KiB). */
const MAX_JWKS_BYTES = 64 * 1024;

/**
 * Verifies the access token the ALB forwards (`x-amzn-oidc-accesstoken`) with aws-jwt-verify:
 * CognitoJwtVerifier for a Cognito user pool (token_use access, client_id), JwtVerifier with the
 * issuer's JWKS otherwise (aud); always the signature, issuer, exp/nbf, and a `sub` equal to the
 * ALB token's. Its outcome never throws: it is a fact about the request that the login uses only
 * when a mapping reads `access:` claims.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly logger = new Logger(AccessTokenVerifier.name);
  private readonly options: ResolvedAccessTokenOptions | null;
  private readonly verifier: { verify(jwt: string): Promise<Record<string, unknown>> } | null = null;
  readonly jwks: BoundedJwksCache | null = null;
  private missingOutcome?: AccessTokenOutcome;

  constructor(@Inject(RESOLVED_ALB_AUTH_OPTIONS) albOptions: ResolvedAlbAuthOptions) {
    this.options = albOptions.accessToken;
    const options = this.options;
    if (!options) return;
    this.jwks = new BoundedJwksCache(options);
    const graceSeconds = albOptions.graceSeconds;
    const verifier = options.cognitoUserPoolId
      ? CognitoJwtVerifier.create({ userPoolId: options.cognitoUserPoolId, tokenUse: 'access', clientId: options.clientIds, graceSeconds }, { jwksCache: this.jwks })
      : JwtVerifier.create({ issuer: options.issuer, jwksUri: options.jwksUri, audience: options.clientIds, graceSeconds }, { jwksCache: this.jwks });
    this.verifier = verifier as unknown as { verify(jwt: string): Promise<Record<string, unknown>> };
  }

  /** The header it comes in (lower case), or null when access tokens are not verified. */
  get header(): string | null {
    return this.options?.header ?? null;
  }

  async verify(token: string | undefined, albSub: string): Promise<AccessTokenOutcome> {
    if (!token) return this.missing();
    const outcome = await this.check(token, albSub);
    metrics.accessTokenVerifications.inc({ outcome: 'claims' in outcome ? 'verified' : outcome.refusal.code });
    return outcome;
  }

  /** The outcome of a request that forwarded no access token (counted like any other outcome). */
  missing(): AccessTokenOutcome {
    metrics.accessTokenVerifications.inc({ outcome: ErrorCode.ACCESS_TOKEN_MISSING });
    // One object shared by every such request: frozen through, so no reader can change it for the others.
    return (this.missingOutcome ??= Object.freeze({ refusal: Object.freeze({ code: ErrorCode.ACCESS_TOKEN_MISSING, reason: `No access token in the ${this.options?.header} header` }) }));
  }

  private async check(token: string, albSub: string): Promise<AccessTokenOutcome> {
    if (token.split('.').length !== 3) {
      return refusal(ErrorCode.ACCESS_TOKEN_INVALID, 'The access token is not a JWT: opaque access tokens are not supported (docs/connectors.md, "Which claims does my IdP send?")');
    }
    let payload: Record<string, unknown>;
    try {
      payload = await (this.verifier as NonNullable<typeof this.verifier>).verify(token);
    } catch (error) {
      return classify(error, this.logger);
    }
    // aws-jwt-verify checks exp only when present: a token that never expires is refused here.
    if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return refusal(ErrorCode.ACCESS_TOKEN_INVALID, 'The access token has no expiry (exp)');
    if (payload.sub !== albSub) return refusal(ErrorCode.ACCESS_TOKEN_INVALID, 'The access token belongs to another user (its sub is not the ALB token\'s)');
    return { claims: payload, exp: payload.exp };
  }
}

function refusal(code: ErrorCode, reason: string): AccessTokenOutcome {
  return { refusal: { code, reason } };
}

function classify(error: unknown, logger: Logger): AccessTokenOutcome {
  if (error instanceof FetchError) {
    logger.warn(`Could not fetch the access token issuer's JWKS: ${error.message}`);
    return refusal(ErrorCode.KEY_UNAVAILABLE, 'The access token issuer\'s keys could not be fetched');
  }
  // Backing off after a failed fetch or an unknown kid: a key rotated in meanwhile is not the token's fault, so
  // this answer is transient (503, never cached), not a verdict on the token.
  if (error instanceof WaitPeriodNotYetEndedJwkError) {
    return refusal(ErrorCode.KEY_UNAVAILABLE, 'The access token is signed by a key not fetched yet: retry shortly');
  }
  if (error instanceof JwtExpiredError) return refusal(ErrorCode.ACCESS_TOKEN_INVALID, 'The access token has expired');
  if (error instanceof JwtNotBeforeError) return refusal(ErrorCode.ACCESS_TOKEN_INVALID, 'The access token is not valid yet (nbf)');
  // The library names a token from an unknown issuer a parameter problem (it picks its settings by iss).
  if (error instanceof JwtInvalidIssuerError || (error instanceof ParameterValidationError && /issuer not configured/.test(error.message))) return refusal(ErrorCode.ACCESS_TOKEN_INVALID, 'The access token\'s issuer is not trusted');
  if (error instanceof CognitoJwtInvalidTokenUseError) return refusal(ErrorCode.ACCESS_TOKEN_INVALID, 'The token in the access token header is no access token (token_use)');
  if (error instanceof CognitoJwtInvalidClientIdError || error instanceof JwtInvalidAudienceError) {
    return refusal(ErrorCode.ACCESS_TOKEN_INVALID, 'The access token was issued to another client');
  }
  if (error instanceof KidNotFoundInJwksError) {
    return refusal(ErrorCode.ACCESS_TOKEN_INVALID, 'The access token is signed by an unknown key');
  }
  if (error instanceof JwtParseError) return refusal(ErrorCode.ACCESS_TOKEN_INVALID, 'The access token is not a well-formed JWT');
  const message = error instanceof Error && error.message === 'Invalid signature' ? 'The access token\'s signature is invalid' : 'The access token is invalid';
  return refusal(ErrorCode.ACCESS_TOKEN_INVALID, message);
}

/**
 * aws-jwt-verify's JWKS cache, bounded: a fetch takes at most `fetchTimeoutMs` and reads at most
 * 64 KiB; a kid missing from a fresh JWKS, or a failed fetch, shuts fetching for `unknownKidBackoffMs`
 * (the library's penalty box), and concurrent requests share one fetch. So unknown kids cause at
 * most one fetch per back-off period, however many arrive; a real rotation is picked up by the
 * next fetch (a JWKS holds every current key).
 */
export class BoundedJwksCache extends SimpleJwksCache {
  /** Fetches made (for tests). */
  fetchCount = 0;

  constructor(private readonly options: ResolvedAccessTokenOptions) {
    const fetcher: Fetcher = { fetch: () => this.fetchJwks() };
    super({ fetcher, penaltyBox: new SimplePenaltyBox({ waitSeconds: options.unknownKidBackoffMs / 1000 }) });
  }

  async getJwks(jwksUri: string) {
    try {
      return await super.getJwks(jwksUri);
    } catch (error) {
      // The library penalises only a kid missing from a fetched JWKS; a failed fetch must wait too.
      this.penaltyBox.registerFailedAttempt(jwksUri, '');
      throw error;
    }
  }

  /** Always the configured JWKS URI (for Cognito the library asks for the pool's own, which it is by default). */
  private async fetchJwks(): Promise<ArrayBuffer> {
    this.fetchCount++;
    try {
      const response = await fetch(this.options.jwksUri, { signal: AbortSignal.timeout(this.options.fetchTimeoutMs), redirect: 'error' });
      if (response.status !== 200) throw new FetchError(this.options.jwksUri, `status ${response.status}`);
      const body = await readBounded(response, MAX_JWKS_BYTES);
      metrics.keyFetches.inc({ result: 'ok' });
      return body;
    } catch (error) {
      metrics.keyFetches.inc({ result: 'failed' });
      throw error instanceof FetchError ? error : new FetchError(this.options.jwksUri, (error as Error).message);
    }
  }
}

async function readBounded(response: Response, maxBytes: number): Promise<ArrayBuffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error('JWKS too large');
  const reader = response.body?.getReader();
  if (!reader) return new ArrayBuffer(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error('JWKS too large');
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body.buffer;
}
