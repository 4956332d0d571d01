import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessTokenTestSigner, TEST_ALB } from '../../../test/support/alb-test-signer';
import { KeyServer } from '../../../test/support/key-server';
import { resolveAlbAuthOptions } from '../alb-auth-options.resolver';
import { AccessTokenVerifier } from './access-token-verifier';

describe('AccessTokenVerifier: the JWKS is fetched within bounds', () => {
  const signer = new AccessTokenTestSigner();
  const keys = new KeyServer();
  before(() => keys.start());
  after(() => keys.stop());

  const makeVerifier = (jwksUri = keys.jwksUrl) =>
    new AccessTokenVerifier(
      resolveAlbAuthOptions({ arns: [TEST_ALB.arn], issuer: TEST_ALB.issuer, keyEndpoint: keys.url, verifyThreads: 0, accessToken: { issuer: TEST_ALB.issuer, jwksUri, clientIds: [TEST_ALB.clientId] } }),
    );
  const sub = 'a1b2c3d4-0000-4000-8000-000000000001';
  const code = (outcome: Awaited<ReturnType<AccessTokenVerifier['verify']>>) => ('refusal' in outcome ? outcome.refusal.code : 'verified');

  it('an unreachable JWKS is KEY_UNAVAILABLE, and is not asked again during the back-off', async () => {
    keys.down = true;
    try {
      const verifier = makeVerifier();
      assert.equal(code(await verifier.verify(signer.sign({ sub }), sub)), 'KEY_UNAVAILABLE');
      assert.equal(code(await verifier.verify(signer.sign({ sub }), sub)), 'KEY_UNAVAILABLE');
      assert.equal(verifier.jwks?.fetchCount, 1);
    } finally {
      keys.down = false;
    }
  });

  it('reads at most 64 KiB of JWKS', async () => {
    keys.jwks.length = 0;
    keys.jwks.push(signer.jwk, ...Array.from({ length: 200 }, (_, i) => ({ ...signer.jwk, kid: `padding-${i}` })));
    const verifier = makeVerifier();
    assert.equal(code(await verifier.verify(signer.sign({ sub }), sub)), 'KEY_UNAVAILABLE');
    keys.jwks.length = 0;
    keys.jwks.push(signer.jwk);
    assert.equal(code(await makeVerifier().verify(signer.sign({ sub }), sub)), 'verified');
  });
});
