import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { Jwks, JwkWithKid } from 'aws-jwt-verify/jwk';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import { createPublicKey } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { RESOLVED_ALB_AUTH_OPTIONS, ResolvedAlbAuthOptions } from '../alb-auth.options';

const MAX_PEM_BYTES = 4096;

export interface KeyEndpointState {
  endpoint: string;
  cachedKeys: number;
  lastFetchOk: boolean | null;
  lastFetchAt: string | null;
}

/**
 * The ALB public keys, by kid, for aws-jwt-verify. Unlike the library's own AlbJwksCache it
 * remembers failures (a failed kid is not fetched again for a while) and spends fetches for
 * unknown kids from a token bucket, so a flood of random kids cannot make us fetch without bound.
 */
@Injectable()
export class AlbKeyStore implements JwksCache {
  private readonly logger = new Logger(AlbKeyStore.name);
  private readonly keys = new Map<string, JwkWithKid>();
  private readonly failures = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<JwkWithKid>>();
  private tokens: number;
  private lastRefill = Date.now();
  private budgetWarned = false;
  private lastFetchOk: boolean | null = null;
  private lastFetchAt: number | null = null;
  /** Fetches made (for tests and the health endpoint). */
  fetchCount = 0;

  constructor(@Inject(RESOLVED_ALB_AUTH_OPTIONS) private readonly options: ResolvedAlbAuthOptions) {
    this.tokens = options.keyCache.fetchBurst;
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

  async getJwk(jwksUri: string, decomposedJwt: { header: JwtHeader; payload: JwtPayload }): Promise<JwkWithKid> {
    const kid = decomposedJwt.header.kid as string;
    const url = this.keyUrl(jwksUri, kid);
    const cached = this.keys.get(url);
    if (cached) return cached;
    const pending = this.inFlight.get(url);
    if (pending) return pending;

    const failedAt = this.failures.get(url);
    if (failedAt !== undefined && Date.now() - failedAt < this.options.keyCache.failureBackoffMs) {
      throw keyUnavailable();
    }
    if (!this.takeFetchToken()) {
      if (!this.budgetWarned) {
        this.budgetWarned = true;
        this.logger.warn('Key fetch budget exhausted: tokens with unknown kids get KEY_UNAVAILABLE for now');
      }
      throw keyUnavailable();
    }
    const fetching = this.fetchKey(url, kid).finally(() => this.inFlight.delete(url));
    this.inFlight.set(url, fetching);
    return fetching;
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
      return jwk;
    } catch (error) {
      this.lastFetchOk = false;
      this.rememberFailure(url);
      this.logger.warn(`Could not fetch the ALB public key for kid ${kid}: ${(error as Error).message}`);
      throw keyUnavailable();
    }
  }

  private takeFetchToken(): boolean {
    const { fetchBurst, fetchRefillMs } = this.options.keyCache;
    const now = Date.now();
    const refill = Math.floor((now - this.lastRefill) / fetchRefillMs);
    if (refill > 0) {
      this.tokens = Math.min(fetchBurst, this.tokens + refill);
      this.lastRefill += refill * fetchRefillMs;
    }
    if (this.tokens >= fetchBurst) this.lastRefill = now;
    if (this.tokens <= 0) return false;
    this.budgetWarned = false;
    this.tokens--;
    return true;
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
