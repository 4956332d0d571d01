import { createHash } from 'node:crypto';
import { VerifiedAlbToken } from './alb-token.types';

/**
 * Tokens already verified, keyed by the exact token string, kept until their exp. Bounded: the
 * oldest entry goes when full (10,000 entries of at most 4 KiB of key each: about 40 MB at
 * worst). A hit costs a map lookup instead of an ES256 verification.
 *
 * A token enters on its second verification. An ALB that signs a new token for every request
 * would otherwise fill the cache with tokens never seen again, each living long enough to be
 * promoted and collected from the old generation: measured, that doubled the CPU of a request
 * with a new token. The first sighting is remembered by a 30-bit number made from 12 characters of
 * the signature (a collision merely admits a token early): no string is kept per token.
 */
export class VerifiedTokenCache {
  /** By the key's last 64 characters (a token's signature), each entry with its whole key: a hit is an exact match. */
  private readonly entries = new Map<string, { key: string; value: VerifiedAlbToken }>();
  private readonly seenOnce = new Set<number>();

  constructor(private readonly maxEntries: number) {}

  /** The token itself up to 4 KiB (ALB tokens are 1–2 KiB); a hash beyond. */
  key(token: string): string {
    return token.length <= 4096 ? token : `#${createHash('sha256').update(token).digest('base64url')}`;
  }

  get(key: string): VerifiedAlbToken | undefined {
    const entry = this.entries.get(slot(key));
    return entry !== undefined && entry.key === key ? entry.value : undefined;
  }

  /** True when the cache keeps it (a second sighting, or kept already). */
  set(key: string, value: VerifiedAlbToken): boolean {
    if (this.maxEntries <= 0) return false;
    const at = slot(key);
    // Kept already, or seen once before; another key with the same tail gives way to a verified one.
    if (this.entries.get(at)?.key !== key && !this.secondSighting(key)) return false;
    this.entries.delete(at);
    this.entries.set(at, { key, value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return true;
  }

  delete(key: string): void {
    if (this.entries.get(slot(key))?.key === key) this.entries.delete(slot(key));
  }

  get size(): number {
    return this.entries.size;
  }

  private secondSighting(key: string): boolean {
    const mark = signatureMark(key);
    if (this.seenOnce.delete(mark)) return true;
    this.seenOnce.add(mark);
    if (this.seenOnce.size > this.maxEntries) this.seenOnce.delete(this.seenOnce.values().next().value as number);
    return false;
  }
}

/**
 * Where a key is kept: its last 64 characters. V8 hashes every character of a new string (a
 * header's value is new on every request), so a whole token as the Map key costs a hash of 1.5 KB a
 * request (docs/benchmarks.md). The entry's own key then settles the match exactly.
 */
function slot(key: string): string {
  return key.length <= 64 ? key : key.slice(-64);
}

/** 30 bits from the 12 characters before an ALB token's `==` padding (its signature): a small integer, never a heap object. */
function signatureMark(key: string): number {
  let mark = 0;
  for (let i = Math.max(0, key.length - 14); i < key.length - 2; i++) mark = (mark * 31 + key.charCodeAt(i)) & 0x3fffffff;
  return mark;
}
