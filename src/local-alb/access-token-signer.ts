import { createPublicKey, KeyObject, randomUUID, sign } from 'node:crypto';
import { withoutUndefined } from '../common/objects';
import { encodeSegment } from '../testing/alb-token-signer';

export interface AccessTokenSpec {
  /** An RSA private key (Amazon Cognito signs with RS256). */
  privateKey: KeyObject;
  kid: string;
  issuer: string;
  clientId: string;
  sub: string;
  /** More claims (`cognito:groups`, `username`, `scope`…); `undefined` values delete one. */
  claims?: Record<string, unknown>;
  /** Seconds from now for exp (Cognito's default access token lives an hour). */
  expiresIn?: number;
  /** Merged over the header; `alg: 'none'` makes an unsigned token (only to make bad tokens). */
  header?: Record<string, unknown>;
}

/** Signs an access token shaped as Amazon Cognito's: RS256, unpadded base64url, token_use access. */
export function signAccessToken(spec: AccessTokenSpec): string {
  const now = Math.floor(Date.now() / 1000);
  const header = withoutUndefined({ kid: spec.kid, alg: 'RS256', ...spec.header });
  const payload = withoutUndefined({
    sub: spec.sub,
    iss: spec.issuer,
    client_id: spec.clientId,
    token_use: 'access',
    scope: 'openid email profile',
    auth_time: now,
    iat: now,
    exp: now + (spec.expiresIn ?? 3600),
    jti: randomUUID(),
    ...spec.claims,
  });
  const input = `${encodeSegment(Buffer.from(JSON.stringify(header)), false)}.${encodeSegment(Buffer.from(JSON.stringify(payload)), false)}`;
  if (header.alg === 'none') return `${input}.`;
  return `${input}.${encodeSegment(sign('sha256', Buffer.from(input), spec.privateKey), false)}`;
}

/** The public half as a JWKS entry, as an IdP publishes it. */
export function publicJwk(privateKey: KeyObject, kid: string): Record<string, unknown> {
  return { ...createPublicKey(privateKey).export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}
