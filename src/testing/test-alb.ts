import { generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { signAlbToken } from './alb-token-signer';

export interface TestAlbSignOptions {
  /** Seconds from now for exp (default 120, as an ALB). */
  expiresIn?: number;
  /** Merged over the ALB header; `undefined` values delete a field. */
  header?: Record<string, unknown>;
  /** Sign with this key instead of the test ALB's (a forged token). */
  privateKey?: KeyObject;
}

/** A stand-in for an ALB in a host app's tests: its key endpoint on loopback, and tokens it signs. */
export interface TestAlb {
  readonly arn: string;
  readonly issuer: string;
  readonly clientId: string;
  /** Base URL of its public-key endpoint: AlbAuthModule's `keyEndpoint`. */
  readonly keyEndpoint: string;
  /** An `x-amzn-oidc-data` value with these claims, signed as an ALB signs. */
  sign(claims: Record<string, unknown>, options?: TestAlbSignOptions): string;
  close(): Promise<void>;
}

/**
 * Starts a test ALB: a P-256 key served as PEM at `<keyEndpoint>/<kid>` on 127.0.0.1, and a signer
 * of tokens in the ALB's format (ES256, padded base64url, `signer`, `client`, `iss` in the header).
 */
export async function startTestAlb(options: { arn?: string; issuer?: string; clientId?: string } = {}): Promise<TestAlb> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const server = createServer((request, response) => {
    if (decodeURIComponent((request.url ?? '/').slice(1)) === kid) response.writeHead(200, { 'content-type': 'text/plain' }).end(pem);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const arn = options.arn ?? 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/test-alb/50dc6c495c0c9188';
  const issuer = options.issuer ?? 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool';
  const clientId = options.clientId ?? 'test-client-id';
  return {
    arn,
    issuer,
    clientId,
    keyEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sign: (claims, signOptions = {}) =>
      signAlbToken({ privateKey: signOptions.privateKey ?? privateKey, kid, signer: arn, issuer, client: clientId, claims, expiresIn: signOptions.expiresIn, header: signOptions.header }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
