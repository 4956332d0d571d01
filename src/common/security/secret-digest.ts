import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A configured secret, compared in constant time whatever the lengths (as SHA-256 digests).
 * `matchesBearer` takes an `Authorization` header value.
 */
export class SecretDigest {
  private readonly digest: Buffer;

  constructor(secret: string) {
    this.digest = sha256(secret);
  }

  matches(candidate: string): boolean {
    return timingSafeEqual(sha256(candidate), this.digest);
  }

  matchesBearer(authorization: string): boolean {
    const match = /^Bearer (.+)$/i.exec(authorization.trim());
    return match !== null && this.matches(match[1]);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
