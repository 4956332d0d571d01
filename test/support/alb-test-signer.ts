import { createPrivateKey, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { publicJwk, signAccessToken } from '../../src/local-alb/access-token-signer';
import { encodeSegment, signAlbToken } from '../../src/testing/alb-token-signer';

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
    return signAlbToken({
      privateKey: options.key ?? this.privateKey,
      kid: this.kid,
      signer: TEST_ALB.arn,
      issuer: TEST_ALB.issuer,
      client: TEST_ALB.clientId,
      expiresIn: options.expiresIn,
      header: options.header,
      padded: options.padded,
      derSignature: options.derSignature,
      claims: {
        sub: 'a1b2c3d4-0000-4000-8000-000000000001',
        email: 'jane.doe@example.com',
        username: 'jane',
        ...options.claims,
      },
    });
  }

  static otherKey(): KeyObject {
    return createPrivateKey(
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
  }
}

export { encodeSegment as encode };

/** Signs access tokens as an Amazon Cognito user pool does (RS256), for the pool of TEST_ALB.issuer. */
export class AccessTokenTestSigner {
  readonly kid = randomUUID();
  readonly privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  readonly jwk = publicJwk(this.privateKey, this.kid);

  sign(options: { sub?: string; claims?: Record<string, unknown>; expiresIn?: number; header?: Record<string, unknown>; key?: KeyObject; issuer?: string } = {}): string {
    return signAccessToken({
      privateKey: options.key ?? this.privateKey,
      kid: this.kid,
      issuer: options.issuer ?? TEST_ALB.issuer,
      clientId: TEST_ALB.clientId,
      sub: options.sub ?? 'a1b2c3d4-0000-4000-8000-000000000001',
      claims: options.claims,
      expiresIn: options.expiresIn,
      header: options.header,
    });
  }
}
