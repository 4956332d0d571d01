import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { AlbTestSigner, TEST_ALB } from '../../../test/support/alb-test-signer';
import { DomainError } from '../../common/errors/domain-error';
import { resolveAlbAuthOptions } from '../alb-auth-options.resolver';
import { AlbKeyStore } from './alb-key-store';
import { AccessTokenVerifier } from './access-token-verifier';
import { AlbTokenVerifier } from './alb-token-verifier.service';
import { AlbVerifyPool, VerifyThreadLost } from './alb-verify-pool';

const signer = new AlbTestSigner();

function makeVerifier(verifyThreads: number, verifyThreadsAtLoad = 0) {
  const options = resolveAlbAuthOptions({
    arns: [TEST_ALB.arn],
    issuer: TEST_ALB.issuer,
    clientIds: [TEST_ALB.clientId],
    keyEndpoint: 'http://127.0.0.1:9',
    verifyThreads,
    verifyThreadsAtLoad,
    verifiedTokenCacheSize: 0,
  });
  const keyStore = new AlbKeyStore(options);
  keyStore.addPem(signer.kid, signer.publicPem);
  const verifier = new AlbTokenVerifier(options, keyStore, new AccessTokenVerifier(options));
  const pool = (verifier as unknown as { pool: AlbVerifyPool }).pool;
  const workers = () => (pool as unknown as { threads: Array<{ worker: Worker }> }).threads.map((thread) => thread.worker);
  return { verifier, pool, workers };
}

describe('AlbVerifyPool (signature checks on verify threads)', () => {
  const verifiers: AlbTokenVerifier[] = [];
  const make = (threads: number, atLoad = 0) => {
    const made = makeVerifier(threads, atLoad);
    verifiers.push(made.verifier);
    return made;
  };
  before(() => Logger.overrideLogger(false));
  after(() => Promise.all(verifiers.map((verifier) => verifier.onModuleDestroy())));

  it('answers each of many concurrent tokens with its own claims, across threads', async () => {
    const { verifier, workers } = make(2);
    assert.equal(workers().length, 2);
    const tokens = Array.from({ length: 300 }, (_, i) => signer.sign({ claims: { sub: `user-${i}`, n: i } }));
    const results = await Promise.all(tokens.map((token) => verifier.verify(token)));
    results.forEach((result, i) => {
      assert.equal(result.sub, `user-${i}`);
      assert.equal(result.claims.n, i);
    });
  });

  it('posts the tokens of one turn of the event loop to the thread together (4 a message at most), each answered with its own claims', async () => {
    const { verifier, workers } = make(1);
    const [worker] = workers();
    const posted = mock.method(worker, 'postMessage');
    const tokens = Array.from({ length: 10 }, (_, i) => signer.sign({ claims: { sub: `batch-${i}` } }));
    const results = await Promise.all(tokens.map((token) => verifier.verify(token)));
    assert.deepEqual(results.map((result) => result.sub), tokens.map((_, i) => `batch-${i}`));
    assert.deepEqual(posted.mock.calls.map((call) => (call.arguments[0] as unknown[]).length), [4, 4, 2]);
    const later = await verifier.verify(signer.sign({ claims: { sub: 'next-turn' } }));
    assert.equal(later.sub, 'next-turn');
    assert.equal(posted.mock.callCount(), 4);
  });

  it('gives a job that cannot be posted back as lost (the caller verifies it on the event loop), and the thread keeps answering', async () => {
    const { verifier, pool } = make(1);
    const token = signer.sign({ claims: { sub: 'not-posted' } });
    const jwk = verifier.keyStore.cachedJwk(signer.kid);
    assert.ok(jwk);
    await assert.rejects(pool.verify(token, { ...jwk, notCloneable: () => undefined } as never), VerifyThreadLost);
    const outcome = await pool.verify(signer.sign({ claims: { sub: 'posted' } }), jwk);
    assert.equal(outcome.payload?.sub, 'posted');
  });

  it('refuses a bad signature with the same code as on the event loop', async () => {
    const other = new AlbTestSigner();
    const forged = signer.sign({ key: other.privateKey });
    const codes = await Promise.all([make(1), make(0)].map(({ verifier }) => Promise.resolve(verifier.verify(forged)).then(() => 'accepted', (error: DomainError) => `${error.code}: ${error.message}`)));
    assert.deepEqual(codes, ['TOKEN_INVALID: token signature is invalid', 'TOKEN_INVALID: token signature is invalid']);
  });

  it('loses no request when a thread dies mid-job: those tokens are verified on the event loop, and the thread is replaced', async () => {
    const { verifier, workers } = make(1);
    const [first] = workers();
    const tokens = Array.from({ length: 50 }, (_, i) => signer.sign({ claims: { sub: `dying-${i}` } }));
    const pending = tokens.map((token) => verifier.verify(token));
    await first.terminate();
    const results = await Promise.all(pending);
    assert.deepEqual(results.map((result) => result.sub), tokens.map((_, i) => `dying-${i}`));
    const [replacement] = workers();
    assert.ok(replacement && replacement !== first, 'a new thread replaced the dead one');
    assert.equal((await verifier.verify(signer.sign({ claims: { sub: 'after' } }))).sub, 'after');
  });

  it('checks on the event loop while it is idle (no hop) and on a thread once it is busy', async () => {
    const { verifier, pool } = make(1, 0.75);
    const sent = mock.method(pool, 'verify');
    // Until a sample shows the loop idle (the start-up work is in the first ones).
    for (const deadline = Date.now() + 5000; (verifier.eventLoopLoad ?? 1) >= 0.75 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal((await verifier.verify(signer.sign({ claims: { sub: 'idle' } }))).sub, 'idle');
    assert.equal(sent.mock.callCount(), 0);
    // A sample covers the time since the last one (up to 100 ms idle before this): 600 ms busy keeps it above 0.75.
    const until = Date.now() + 600;
    while (Date.now() < until); // a busy event loop
    await new Promise((resolve) => setTimeout(resolve, 0)); // the overdue load sample runs first
    assert.equal((await verifier.verify(signer.sign({ claims: { sub: 'busy' } }))).sub, 'busy');
    assert.equal(sent.mock.callCount(), 1);
  });

  it('stops restarting threads that keep dying and verifies on the event loop from then on', async () => {
    const { verifier, pool, workers } = make(1);
    for (let i = 0; i < 6 && pool.available; i++) {
      const [worker] = workers();
      await worker.terminate();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(pool.available, false);
    assert.equal((await verifier.verify(signer.sign({ claims: { sub: 'in-process' } }))).sub, 'in-process');
  });
});
