import { KeyObject, sign } from 'node:crypto';
import { withoutUndefined } from '../common/objects';

export interface AlbTokenSpec {
  privateKey: KeyObject;
  kid: string;
  signer: string;
  issuer: string;
  client: string;
  claims: Record<string, unknown>;
  /** Seconds from now for header and payload exp (an ALB uses about 120). */
  expiresIn?: number;
  /** Merged over the ALB header; `undefined` values delete a field. */
  header?: Record<string, unknown>;
  /** ALB tokens keep base64url `=` padding; false strips it. */
  padded?: boolean;
  /** DER instead of the raw r||s signature an ALB sends (only to make bad tokens). */
  derSignature?: boolean;
}

/** Signs a token exactly as an ALB does: ES256, padded base64url segments, raw r||s signature. */
export function signAlbToken(spec: AlbTokenSpec): string {
  const exp = Math.floor(Date.now() / 1000) + (spec.expiresIn ?? 120);
  const header = withoutUndefined({
    typ: 'JWT',
    kid: spec.kid,
    alg: 'ES256',
    iss: spec.issuer,
    client: spec.client,
    signer: spec.signer,
    exp,
    ...spec.header,
  });
  const payload = withoutUndefined({ exp, iss: spec.issuer, ...spec.claims });
  const padded = spec.padded ?? true;
  const input = `${encodeSegment(Buffer.from(JSON.stringify(header)), padded)}.${encodeSegment(Buffer.from(JSON.stringify(payload)), padded)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: spec.privateKey,
    dsaEncoding: spec.derSignature ? 'der' : 'ieee-p1363',
  });
  return `${input}.${encodeSegment(signature, padded)}`;
}

export function encodeSegment(data: Buffer, padded = true): string {
  const text = data.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  return padded ? text : text.replace(/=+$/, '');
}
