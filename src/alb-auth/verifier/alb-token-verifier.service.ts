import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AlbJwtVerifier } from 'aws-jwt-verify';
import type { JwtHeader } from 'aws-jwt-verify/jwt-model';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { RESOLVED_ALB_AUTH_OPTIONS, ResolvedAlbAuthOptions } from '../alb-auth.options';
import { AccessTokenVerifier } from './access-token-verifier';
import { AlbKeyStore } from './alb-key-store';
import { hasExpired, postcheckAlbPayload, precheckAlbToken } from './alb-token-precheck';
import { AccessTokenOutcome, VerifiedAlbToken } from './alb-token.types';
import { classifyVerifyError, VerifyFailure } from './alb-verify-errors';
import { AlbVerifyPool, VerifyThreadLost } from './alb-verify-pool';
import { EventLoopLoad } from './event-loop-load';
import { VerifiedTokenCache } from './verified-token-cache';
import { metrics } from '../../common/metrics';

/**
 * Verifies the ALB's signed token: cheap header checks, then the verified-token cache, then
 * aws-jwt-verify (signature, signer, issuer, client, exp/nbf) with our key store, on a verify
 * thread while the event loop is busy. Knows nothing of HTTP or Passport, so it is tested on its own.
 */
@Injectable()
export class AlbTokenVerifier implements OnModuleDestroy {
  private readonly verifier: { verify(jwt: string): Promise<unknown>; verifySync(jwt: string): unknown };
  private readonly cache: VerifiedTokenCache;
  /** Verified tokens with their access token's outcome, by the pair: the same object for the same pair. */
  private readonly pairs: VerifiedTokenCache;
  /** Verified tokens of requests without an access token, with that outcome, by the verified token. */
  private readonly unpaired = new WeakMap<VerifiedAlbToken, VerifiedAlbToken>();
  private readonly pool: AlbVerifyPool | null;
  private readonly load: EventLoopLoad | null;

  constructor(
    @Inject(RESOLVED_ALB_AUTH_OPTIONS) private readonly options: ResolvedAlbAuthOptions,
    readonly keyStore: AlbKeyStore,
    private readonly access: AccessTokenVerifier,
  ) {
    const settings = {
      arns: options.arns,
      issuer: options.issuer,
      clientIds: options.clientIds,
      keyEndpoint: options.keyEndpoint,
      graceSeconds: options.graceSeconds,
    };
    this.verifier = AlbJwtVerifier.create(
      { albArn: settings.arns, issuer: settings.issuer, clientId: settings.clientIds, jwksUri: settings.keyEndpoint, graceSeconds: settings.graceSeconds },
      { jwksCache: keyStore },
    );
    this.cache = new VerifiedTokenCache(options.verifiedTokenCacheSize);
    this.pairs = new VerifiedTokenCache(options.accessToken ? options.verifiedTokenCacheSize : 0);
    this.pool = options.verifyThreads > 0 ? new AlbVerifyPool(options.verifyThreads, settings) : null;
    this.load = this.pool && options.verifyThreadsAtLoad > 0 ? new EventLoopLoad() : null;
  }

  get tokenHeader(): string {
    return this.options.tokenHeader;
  }

  /** The access-token header when access tokens are verified, else null. */
  get accessTokenHeader(): string | null {
    return this.access.header;
  }

  /** The event loop's busy share (0–1, last 100 ms) by which fresh tokens go to a thread; null when they always do or never can. */
  get eventLoopLoad(): number | null {
    return this.load?.utilization ?? null;
  }

  async onModuleDestroy(): Promise<void> {
    this.load?.stop();
    await this.pool?.close();
  }

  /**
   * The verified token: without a promise when it was verified before and nothing is left to wait
   * for (its access token's outcome remembered too), the request's fast path; else once verified.
   * A refusal is always a rejected promise, never thrown.
   * @param token the value of the token header, as received
   * @param identity the unsigned `x-amzn-oidc-identity` header, when present: it must equal `sub`
   * @param accessToken the forwarded access token, when access tokens are verified: its outcome
   *   goes on the result, and never fails the verification itself
   */
  verify(token: string | undefined, identity?: string, accessToken?: string): VerifiedAlbToken | Promise<VerifiedAlbToken> {
    try {
      const verified = this.check(token, identity, accessToken);
      if (verified instanceof Promise) return verified.then(counted, uncounted);
      metrics.tokenVerifications.inc({ outcome: 'cached' });
      return verified;
    } catch (error) {
      return Promise.reject(error).catch(uncounted);
    }
  }

  private check(token: string | undefined, identity?: string, accessToken?: string): VerifiedAlbToken | Promise<{ verified: VerifiedAlbToken; outcome: 'verified' | 'cached' }> {
    if (!token) throw new DomainError(ErrorCode.TOKEN_MISSING, `No token in the ${this.options.tokenHeader} header`);
    const now = Date.now();
    const key = this.cache.key(token);
    const verified = this.cache.get(key);
    if (!verified) return this.checkFresh(token, key, identity, accessToken, now);
    if (this.expired(verified.exp, now)) {
      this.cache.delete(key);
      throw new DomainError(ErrorCode.TOKEN_EXPIRED, 'token has expired');
    }
    this.checkIdentity(verified, identity);
    if (!this.access.header) return verified;
    if (!accessToken) return this.withoutAccess(verified, true);
    const pair = this.pairs.key(pairKey(key, accessToken));
    return this.rememberedPair(pair, now) ?? this.withAccess(pair, verified, accessToken).then((paired) => ({ verified: paired, outcome: 'cached' as const }));
  }

  private async checkFresh(token: string, key: string, identity: string | undefined, accessToken: string | undefined, now: number): Promise<{ verified: VerifiedAlbToken; outcome: 'verified' }> {
    const verified = await this.verifyFresh(token, now);
    const kept = this.cache.set(key, verified);
    this.checkIdentity(verified, identity);
    if (!this.access.header) return { verified, outcome: 'verified' };
    const paired = accessToken ? await this.withAccess(this.pairs.key(pairKey(key, accessToken)), verified, accessToken) : this.withoutAccess(verified, kept);
    return { verified: paired, outcome: 'verified' };
  }

  private checkIdentity(verified: VerifiedAlbToken, identity: string | undefined): void {
    if (identity !== undefined && identity !== verified.sub) {
      throw new DomainError(ErrorCode.TOKEN_INVALID, 'x-amzn-oidc-identity does not match the token sub');
    }
  }

  /**
   * The verified ALB token of a request without an access token, with that outcome: the same object
   * for the same verified token (what sits above caches by it), kept as long as the token is. A
   * token the cache did not keep is never handed out again: its outcome is not remembered either.
   */
  private withoutAccess(verified: VerifiedAlbToken, kept: boolean): VerifiedAlbToken {
    let paired = this.unpaired.get(verified);
    if (!paired) {
      paired = withOutcome(verified, this.access.missing());
      if (kept) this.unpaired.set(verified, paired);
    }
    return paired;
  }

  /**
   * The verified ALB token with its access token's outcome, the same object for the same pair (what
   * sits above caches by it). The ALB token stays cached on its own whatever the access token does;
   * a transient outcome (keys not fetched) is not remembered.
   */
  private async withAccess(key: string, verified: VerifiedAlbToken, accessToken: string): Promise<VerifiedAlbToken> {
    const paired = withOutcome(verified, await this.access.verify(accessToken, verified.sub));
    if (!('refusal' in paired.access! && paired.access.refusal.code === ErrorCode.KEY_UNAVAILABLE)) this.pairs.set(key, paired);
    else this.pairs.delete(key);
    return paired;
  }

  /** The remembered pair, unless its access token has expired since. */
  private rememberedPair(key: string, now: number): VerifiedAlbToken | undefined {
    const remembered = this.pairs.get(key);
    const access = remembered?.access;
    return remembered && !(access && 'claims' in access && this.expired(access.exp, now)) ? remembered : undefined;
  }

  private async verifyFresh(token: string, now: number): Promise<VerifiedAlbToken> {
    const header = precheckAlbToken(token, this.options, now);
    const payload = (this.onThread() && (await this.verifyOnThread(token, header))) || (await this.verifyHere(token, header.kid as string));
    postcheckAlbPayload(header, payload);
    const exps = [header.exp, payload.exp].filter((exp): exp is number => typeof exp === 'number');
    return {
      sub: payload.sub as string,
      claims: payload,
      kid: header.kid as string,
      signer: header.signer as string,
      exp: Math.min(...exps),
    };
  }

  /** On a thread when the event loop is busy (throughput); on the loop when it is not (no hop latency). */
  private onThread(): boolean {
    if (!this.pool?.available) return false;
    return !this.load || this.load.utilization >= this.options.verifyThreadsAtLoad;
  }

  /** The payload, or undefined when the thread was lost (the caller then verifies here). */
  private async verifyOnThread(token: string, header: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const jwk = this.keyStore.cachedJwk(header.kid as string) ?? (await this.keyStore.getJwk(this.options.keyEndpoint, { header: header as JwtHeader, payload: {} }));
    try {
      const outcome = await (this.pool as AlbVerifyPool).verify(token, jwk);
      if (outcome.failure) throw verifyFailureError(outcome.failure);
      return outcome.payload;
    } catch (error) {
      if (error instanceof VerifyThreadLost) return undefined;
      throw error;
    }
  }

  private expired(exp: number, now: number): boolean {
    return hasExpired(exp, now, this.options.graceSeconds * 1000);
  }

  /** Synchronously when the key is here: aws-jwt-verify's async verify adds a turn of the event loop per token. */
  private async verifyHere(token: string, kid: string): Promise<Record<string, unknown>> {
    try {
      if (this.keyStore.cachedJwk(kid)) return this.verifier.verifySync(token) as Record<string, unknown>;
      return (await this.verifier.verify(token)) as Record<string, unknown>;
    } catch (error) {
      // The key store's own refusals (KEY_UNAVAILABLE, an unknown kid) pass through as they are.
      throw error instanceof DomainError ? error : verifyFailureError(classifyVerifyError(error));
    }
  }
}

/** Field by field (a new field fails to compile until it is here): an object spread on this path cost more than the copy (docs/benchmarks.md). */
function withOutcome(verified: VerifiedAlbToken, access: AccessTokenOutcome): VerifiedAlbToken {
  return { sub: verified.sub, claims: verified.claims, kid: verified.kid, signer: verified.signer, exp: verified.exp, access } satisfies Required<VerifiedAlbToken>;
}

/** The ALB token last: the cache finds a key by its tail, and one access token goes with many ALB tokens. */
function pairKey(albKey: string, accessToken: string): string {
  return `${accessToken}\n${albKey}`;
}

function counted({ verified, outcome }: { verified: VerifiedAlbToken; outcome: string }): VerifiedAlbToken {
  metrics.tokenVerifications.inc({ outcome });
  return verified;
}

function uncounted(error: unknown): never {
  metrics.tokenVerifications.inc({ outcome: error instanceof DomainError ? error.code : 'error' });
  throw error;
}

function verifyFailureError(failure: VerifyFailure): DomainError {
  return new DomainError(failure.code, failure.message);
}
