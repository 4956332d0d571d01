import { createHash } from 'node:crypto';
import { VerifiedAlbToken } from './alb-token.types';

/**
 * Tokens already verified, keyed by a hash of the exact token string, kept until their exp.
 * Bounded: the oldest entry goes when full. A hash keeps memory per entry small whatever the
 * token's size, and a hit costs a SHA-256 of the header instead of an ES256 verification.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedAlbToken>();

  constructor(private readonly maxEntries: number) {}

  key(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
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
