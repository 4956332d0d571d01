import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { Jwks, JwkWithKid } from 'aws-jwt-verify/jwk';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import { createPublicKey } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error';
import { metrics } from '../../common/metrics';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { RESOLVED_ALB_AUTH_OPTIONS, ResolvedAlbAuthOptions } from '../alb-auth.options';

const MAX_PEM_BYTES = 4096;
/** Unknown kids whose demand is counted, and requests that may wait for a priority fetch. */
const MAX_DEMANDED_KIDS = 1000;
const MAX_WAITERS = 1000;

interface Waiter {
  resolve(jwk: JwkWithKid): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

/** Recent requests for one unknown kid, and those waiting for it. */
interface Demand {
  kid: string;
  count: number;
  since: number;
  waiters: Set<Waiter>;
}

export interface KeyEndpointState {
  endpoint: string;
  cachedKeys: number;
  lastFetchOk: boolean | null;
  lastFetchAt: string | null;
}

/**
 * The ALB public keys, by kid, for aws-jwt-verify. Unlike the library's own AlbJwksCache it
 * remembers failures (a failed kid is not fetched again for a while) and spends fetches for
 * unknown kids from a token bucket, so a flood of random kids cannot make us fetch without bound;
 * a fetch that finds a key gives its token back, from a refund bucket of the same size and rate.
 * When the bucket is empty, requests wait briefly for a priority fetch of the most demanded
 * unknown kid, so that a flood of random kids cannot starve a genuine key rotation either.
 * Bound: twice (burst + one per refill interval), plus one priority fetch per interval (defaults:
 * 2 × (5 + 6) + 120 a minute at most; a flood of single-use kids triggers no priority fetch at all).
 */
@Injectable()
export class AlbKeyStore implements JwksCache {
  private readonly logger = new Logger(AlbKeyStore.name);
  private readonly keys = new Map<string, JwkWithKid>();
  private readonly failures = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<JwkWithKid>>();
  private readonly demand = new Map<string, Demand>();
  private waiterCount = 0;
  private priorityTimer?: NodeJS.Timeout;
  private nextPriorityAt = 0;
  private readonly fetches: TokenBucket;
  private readonly refunds: TokenBucket;
  private budgetWarned = false;
  private lastFetchOk: boolean | null = null;
  private lastFetchAt: number | null = null;
  /** Fetches made (for tests and the health endpoint). */
  fetchCount = 0;

  constructor(@Inject(RESOLVED_ALB_AUTH_OPTIONS) private readonly options: ResolvedAlbAuthOptions) {
    this.fetches = new TokenBucket(options.keyCache.fetchBurst, options.keyCache.fetchRefillMs);
    this.refunds = new TokenBucket(options.keyCache.fetchBurst, options.keyCache.fetchRefillMs);
  }

  state(): KeyEndpointState {
    return {
      endpoint: this.options.keyEndpoint,
      cachedKeys: this.keys.size,
      lastFetchOk: this.lastFetchOk,
      lastFetchAt: this.lastFetchAt ? new Date(this.lastFetchAt).toISOString() : null,
    };
  }

  /** Adds a key by hand (a host app that ships its keys, or the local emulator). */
  addPem(kid: string, pem: string): void {
    this.remember(this.keyUrl(this.options.keyEndpoint, kid), pemToJwk(kid, pem));
  }

  /** The key of this kid at the configured endpoint when it is already here (no fetch, no wait). */
  cachedJwk(kid: string): JwkWithKid | undefined {
    return this.recall(this.keyUrl(this.options.keyEndpoint, kid));
  }

  async getJwk(jwksUri: string, decomposedJwt: { header: JwtHeader; payload: JwtPayload }): Promise<JwkWithKid> {
    const kid = decomposedJwt.header.kid as string;
    const url = this.keyUrl(jwksUri, kid);
    const cached = this.recall(url);
    if (cached) return cached;
    const pending = this.inFlight.get(url);
    if (pending) return pending;

    if (this.backedOff(url, Date.now())) throw keyUnavailable();
    if (!this.takeFetchToken()) {
      if (!this.budgetWarned) {
        this.budgetWarned = true;
        this.logger.warn('Key fetch budget exhausted: unknown kids wait for a priority fetch of the most demanded one');
      }
      metrics.keyFetches.inc({ result: 'budget_wait' });
      return this.awaitPriorityFetch(url, kid);
    }
    // A key the endpoint serves gives its token back, so ordinary rotations never exhaust the budget
    // while unknown kids and failures still do. The refunds have a bucket of their own (a regional
    // endpoint serves every ALB's keys there, so real kids alone must not fetch without bound).
    const fetching = this.startFetch(url, kid);
    fetching.then(() => this.refundFetchToken(), () => undefined);
    return fetching;
  }

  private startFetch(url: string, kid: string): Promise<JwkWithKid> {
    const fetching = this.fetchKey(url, kid).finally(() => this.inFlight.delete(url));
    this.inFlight.set(url, fetching);
    fetching.then(
      (jwk) => this.settleDemand(url, (waiter) => waiter.resolve(jwk)),
      (error: unknown) => this.settleDemand(url, (waiter) => waiter.reject(error)),
    );
    return fetching;
  }

  /** Counts this request's demand for `url` and waits (bounded) for a priority fetch of it. */
  private awaitPriorityFetch(url: string, kid: string): Promise<JwkWithKid> {
    const now = Date.now();
    let entry = this.demand.get(url);
    if (!entry || now - entry.since > this.options.keyCache.demandWindowMs) {
      entry = { kid, count: 0, since: now, waiters: entry?.waiters ?? new Set() };
    }
    entry.count++;
    // Most recently asked for last: the least recently asked-for kid is the one dropped.
    this.demand.delete(url);
    this.demand.set(url, entry);
    while (this.demand.size > MAX_DEMANDED_KIDS) {
      const [oldest, dropped] = this.demand.entries().next().value as [string, Demand];
      this.demand.delete(oldest);
      for (const waiter of dropped.waiters) this.release(waiter, dropped).reject(keyUnavailable());
    }
    if (this.waiterCount >= MAX_WAITERS) throw keyUnavailable();
    this.schedulePriorityFetch();
    const waiting = entry;
    return new Promise<JwkWithKid>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => this.release(waiter, waiting).reject(keyUnavailable()), this.options.keyCache.unknownKidWaitMs),
      };
      waiting.waiters.add(waiter);
      this.waiterCount++;
    });
  }

  private release(waiter: Waiter, entry: Demand): Waiter {
    clearTimeout(waiter.timer);
    if (entry.waiters.delete(waiter)) this.waiterCount--;
    return waiter;
  }

  private settleDemand(url: string, settle: (waiter: Waiter) => void): void {
    const entry = this.demand.get(url);
    if (!entry) return;
    this.demand.delete(url);
    for (const waiter of entry.waiters) settle(this.release(waiter, entry));
  }

  private schedulePriorityFetch(): void {
    if (this.priorityTimer) return;
    this.priorityTimer = setTimeout(() => {
      this.priorityTimer = undefined;
      this.runPriorityFetch();
    }, Math.max(0, this.nextPriorityAt - Date.now()));
    this.priorityTimer.unref();
  }

  /** Fetches the unknown kid asked for most often (twice at least) in the demand window. */
  private runPriorityFetch(): void {
    const now = Date.now();
    let best: [string, Demand] | undefined;
    for (const [url, entry] of this.demand) {
      if (now - entry.since > this.options.keyCache.demandWindowMs && entry.waiters.size === 0) {
        this.demand.delete(url);
        continue;
      }
      if (entry.count < 2 || this.inFlight.has(url) || this.backedOff(url, now)) continue;
      if (!best || entry.count > best[1].count) best = [url, entry];
    }
    if (best) {
      this.nextPriorityAt = now + this.options.keyCache.priorityFetchIntervalMs;
      this.startFetch(best[0], best[1].kid).catch(() => undefined);
    }
    if (this.waiterCount > 0) {
      if (!best) this.nextPriorityAt = now + Math.min(100, this.options.keyCache.priorityFetchIntervalMs);
      this.schedulePriorityFetch();
    }
  }

  private backedOff(url: string, now: number): boolean {
    const failedAt = this.failures.get(url);
    return failedAt !== undefined && now - failedAt < this.options.keyCache.failureBackoffMs;
  }

  private recall(url: string): JwkWithKid | undefined {
    const cached = this.keys.get(url);
    if (cached) {
      // Most recently used last: the key dropped when the cache is full is the least recently used.
      this.keys.delete(url);
      this.keys.set(url, cached);
    }
    return cached;
  }

  getCachedJwk(jwksUri: string, decomposedJwt: { header: JwtHeader; payload: JwtPayload }): JwkWithKid {
    const jwk = this.keys.get(this.keyUrl(jwksUri, decomposedJwt.header.kid as string));
    if (!jwk) throw keyUnavailable();
    return jwk;
  }

  addJwks(): void {
    throw new Error('ALB key endpoints serve one PEM per kid, not a JWKS');
  }

  async getJwks(): Promise<Jwks> {
    throw new Error('ALB key endpoints serve one PEM per kid, not a JWKS');
  }

  private async fetchKey(url: string, kid: string): Promise<JwkWithKid> {
    this.fetchCount++;
    this.lastFetchAt = Date.now();
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(this.options.keyCache.fetchTimeoutMs),
        redirect: 'error',
      });
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      const body = await response.text();
      if (body.length > MAX_PEM_BYTES) throw new Error('key too large');
      const jwk = pemToJwk(kid, body);
      this.remember(url, jwk);
      this.failures.delete(url);
      this.lastFetchOk = true;
      metrics.keyFetches.inc({ result: 'ok' });
      return jwk;
    } catch (error) {
      this.lastFetchOk = false;
      metrics.keyFetches.inc({ result: 'failed' });
      this.rememberFailure(url);
      this.logger.warn(`Could not fetch the ALB public key for kid ${kid}: ${(error as Error).message}`);
      throw keyUnavailable();
    }
  }

  private takeFetchToken(): boolean {
    if (!this.fetches.take()) return false;
    this.budgetWarned = false;
    return true;
  }

  private refundFetchToken(): void {
    if (this.refunds.take()) this.fetches.giveBack();
  }

  private remember(url: string, jwk: JwkWithKid): void {
    this.keys.delete(url);
    this.keys.set(url, jwk);
    while (this.keys.size > this.options.keyCache.maxKeys) this.keys.delete(this.keys.keys().next().value as string);
  }

  private rememberFailure(url: string): void {
    this.failures.delete(url);
    this.failures.set(url, Date.now());
    while (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  private keyUrl(base: string, kid: string): string {
    return `${base}/${encodeURIComponent(kid)}`;
  }
}

/** `size` tokens, one more every `refillMs` (never above `size`). */
class TokenBucket {
  private tokens: number;
  private lastRefill = Date.now();

  constructor(
    private readonly size: number,
    private readonly refillMs: number,
  ) {
    this.tokens = size;
  }

  take(now = Date.now()): boolean {
    const refill = Math.floor((now - this.lastRefill) / this.refillMs);
    if (refill > 0) {
      this.tokens = Math.min(this.size, this.tokens + refill);
      this.lastRefill += refill * this.refillMs;
    }
    if (this.tokens >= this.size) this.lastRefill = now;
    if (this.tokens <= 0) return false;
    this.tokens--;
    return true;
  }

  giveBack(): void {
    this.tokens = Math.min(this.size, this.tokens + 1);
  }
}

function keyUnavailable(): DomainError {
  return new DomainError(ErrorCode.KEY_UNAVAILABLE, 'The public key for this token could not be fetched');
}

function pemToJwk(kid: string, pem: string): JwkWithKid {
  const key = createPublicKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('not a P-256 public key');
  }
  const jwk = key.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string };
  return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y, kid, alg: 'ES256', use: 'sig' } as JwkWithKid;
}
