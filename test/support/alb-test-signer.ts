import { createPrivateKey, generateKeyPairSync, KeyObject, randomUUID, sign } from 'node:crypto';

export const TEST_ALB = {
  arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/test-alb/50dc6c495c0c9188',
  otherArn: 'arn:aws:elasticloadbalancing:eu-west-1:999999999999:loadbalancer/app/evil-alb/0123456789abcdef',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool',
  clientId: 'test-client-id',
};

export interface SignOptions {
  claims?: Record<string, unknown>;
  /** Merged over the ALB header; `undefined` values delete a field. */
  header?: Record<string, unknown>;
  /** Seconds from now for header and payload exp (default 120, like an ALB). */
  expiresIn?: number;
  /** ALB tokens keep base64url `=` padding; false strips it. */
  padded?: boolean;
  /** DER instead of the raw r||s signature an ALB sends. */
  derSignature?: boolean;
  /** Sign with another key than this signer's (same kid). */
  key?: KeyObject;
}

/** Signs tokens exactly as an ALB does: ES256, padded base64url segments, raw r||s signature. */
export class AlbTestSigner {
  readonly kid = randomUUID();
  readonly privateKey: KeyObject;
  readonly publicPem: string;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(options: SignOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (options.expiresIn ?? 120);
    const header: Record<string, unknown> = {
      typ: 'JWT',
      kid: this.kid,
      alg: 'ES256',
      iss: TEST_ALB.issuer,
      client: TEST_ALB.clientId,
      signer: TEST_ALB.arn,
      exp,
      ...options.header,
    };
    for (const [name, value] of Object.entries(header)) if (value === undefined) delete header[name];
    const payload: Record<string, unknown> = {
      sub: 'a1b2c3d4-0000-4000-8000-000000000001',
      email: 'jane.doe@example.com',
      username: 'jane',
      exp,
      iss: TEST_ALB.issuer,
      ...options.claims,
    };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    const padded = options.padded ?? true;
    const signingInput = `${encode(Buffer.from(JSON.stringify(header)), padded)}.${encode(Buffer.from(JSON.stringify(payload)), padded)}`;
    const signature = sign('sha256', Buffer.from(signingInput), {
      key: options.key ?? this.privateKey,
      dsaEncoding: options.derSignature ? 'der' : 'ieee-p1363',
    });
    return `${signingInput}.${encode(signature, padded)}`;
  }

  static otherKey(): KeyObject {
    return createPrivateKey(
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
  }
}

export function encode(data: Buffer, padded = true): string {
  const text = data.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  return padded ? text : text.replace(/=+$/, '');
}
