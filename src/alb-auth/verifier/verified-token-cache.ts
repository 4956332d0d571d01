import { createHash } from 'node:crypto';
import { VerifiedAlbToken } from './alb-token.types';

/**
 * Tokens already verified, keyed by the exact token string, kept until their exp. Bounded: the
 * oldest entry goes when full (10,000 entries of at most 4 KiB of key each: about 40 MB at
 * worst). A hit costs a map lookup instead of an ES256 verification.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedAlbToken>();

  constructor(private readonly maxEntries: number) {}

  /** The token itself up to 4 KiB (ALB tokens are 1–2 KiB; a Map hashes a string faster than SHA-256); a hash beyond. */
  key(token: string): string {
    return token.length <= 4096 ? token : `#${createHash('sha256').update(token).digest('base64url')}`;
  }

  get(key: string): VerifiedAlbToken | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: VerifiedAlbToken): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
