import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it, mock } from 'node:test';
import { Logger } from '@nestjs/common';
import { AlbTestSigner, encode, TEST_ALB } from '../../../test/support/alb-test-signer';
import { KeyServer } from '../../../test/support/key-server';
import { DomainError } from '../../common/errors/domain-error';
import { resolveAlbAuthOptions } from '../alb-auth-options.resolver';
import { AlbAuthModuleOptions } from '../alb-auth.options';
import { AlbKeyStore } from './alb-key-store';
import { AccessTokenVerifier } from './access-token-verifier';
import { AlbTokenVerifier } from './alb-token-verifier.service';
import { VerifiedAlbToken } from './alb-token.types';

const FIXTURES = join(__dirname, '../../../test/fixtures');

let verifyThreads = 0;
const created: AlbTokenVerifier[] = [];

function makeVerifier(keyEndpoint: string, overrides: Partial<AlbAuthModuleOptions> = {}) {
  const options = resolveAlbAuthOptions({
    arns: [TEST_ALB.arn],
    issuer: TEST_ALB.issuer,
    clientIds: [TEST_ALB.clientId],
    keyEndpoint,
    verifyThreads,
    verifyThreadsAtLoad: 0,
    ...overrides,
  });
  const keyStore = new AlbKeyStore(options);
  const verifier = new AlbTokenVerifier(options, keyStore, new AccessTokenVerifier(options));
  created.push(verifier);
  return { verifier, keyStore };
}

async function refusal(promise: unknown): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    return error.code;
  }
  assert.fail('expected the token to be refused');
}

for (const threads of [0, 1]) describe(`AlbTokenVerifier, ${threads ? 'signatures checked on a verify thread' : 'signatures checked on the event loop'}`, () => {
  const signer = new AlbTestSigner();
  const keys = new KeyServer();

  before(async () => {
    Logger.overrideLogger(false);
    verifyThreads = threads;
    await keys.start();
    keys.add(signer.kid, signer.publicPem);
  });
  after(async () => {
    await Promise.all(created.splice(0).map((verifier) => verifier.onModuleDestroy()));
    await keys.stop();
  });
  afterEach(() => {
    keys.down = false;
    keys.delayMs = 0;
  });

  it('accepts an ALB-format token and returns its claims', async () => {
    const { verifier } = makeVerifier(keys.url);
    const verified = await verifier.verify(signer.sign({ claims: { email: 'a@example.com' } }));
    assert.equal(verified.claims.email, 'a@example.com');
    assert.equal(verified.kid, signer.kid);
    assert.equal(verified.signer, TEST_ALB.arn);
  });

  it('accepts a valid token whose segments have no padding', async () => {
    const { verifier } = makeVerifier(keys.url);
    const token = signer.sign({ padded: false, claims: { name: 'xy' } });
    assert.ok(!token.includes('='));
    assert.equal((await verifier.verify(token)).claims.name, 'xy');
  });

  it('refuses a missing token with TOKEN_MISSING', async () => {
    const { verifier } = makeVerifier(keys.url);
    assert.equal(await refusal(verifier.verify(undefined)), 'TOKEN_MISSING');
    assert.equal(await refusal(verifier.verify('')), 'TOKEN_MISSING');
  });

  for (const [name, token] of [
    ['two segments', 'abc.def'],
    ['four segments', 'a.b.c.d'],
    ['non-base64url characters', 'a+b.c/d.e*f'],
    ['header that is not JSON', `${encode(Buffer.from('not json'))}.e30=.c2ln`],
    ['header that is a JSON array', `${encode(Buffer.from('[1]'))}.e30=.c2ln`],
    ['a huge token', 'a'.repeat(20_000) + '.b.c'],
  ]) {
    it(`refuses a malformed token (${name}) with TOKEN_INVALID and fetches nothing`, async () => {
      const { verifier, keyStore } = makeVerifier(keys.url);
      assert.equal(await refusal(verifier.verify(token)), 'TOKEN_INVALID');
      assert.equal(keyStore.fetchCount, 0);
    });
  }

  it('refuses alg none', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const [, payload] = signer.sign().split('.');
    const token = `${encode(Buffer.from(JSON.stringify({ alg: 'none', kid: signer.kid, signer: TEST_ALB.arn })))}.${payload}.`;
    assert.equal(await refusal(verifier.verify(token)), 'TOKEN_INVALID');
    assert.equal(await refusal(verifier.verify(token + 'AA==')), 'TOKEN_INVALID');
    assert.equal(keyStore.fetchCount, 0);
  });

  it('refuses HS256 signed with the public PEM as the secret', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const { createHmac } = await import('node:crypto');
    const header = encode(Buffer.from(JSON.stringify({ alg: 'HS256', kid: signer.kid, signer: TEST_ALB.arn, iss: TEST_ALB.issuer, client: TEST_ALB.clientId })));
    const payload = encode(Buffer.from(JSON.stringify({ sub: 'x', iss: TEST_ALB.issuer, exp: Date.now() / 1000 + 60 })));
    const mac = encode(createHmac('sha256', signer.publicPem).update(`${header}.${payload}`).digest());
    assert.equal(await refusal(verifier.verify(`${header}.${payload}.${mac}`)), 'TOKEN_INVALID');
    assert.equal(keyStore.fetchCount, 0);
  });

  it('refuses a tampered payload', async () => {
    const { verifier } = makeVerifier(keys.url);
    const [header, , signature] = signer.sign().split('.');
    const forged = encode(Buffer.from(JSON.stringify({ sub: 'admin', email: 'admin@example.com', iss: TEST_ALB.issuer, exp: Math.floor(Date.now() / 1000) + 60 })));
    assert.equal(await refusal(verifier.verify(`${header}.${forged}.${signature}`)), 'TOKEN_INVALID');
  });

  it('refuses a signature by another key', async () => {
    const { verifier } = makeVerifier(keys.url);
    assert.equal(await refusal(verifier.verify(signer.sign({ key: AlbTestSigner.otherKey() }))), 'TOKEN_INVALID');
  });

  it('refuses a DER-encoded signature', async () => {
    const { verifier } = makeVerifier(keys.url);
    assert.equal(await refusal(verifier.verify(signer.sign({ derSignature: true }))), 'TOKEN_INVALID');
  });

  it('refuses a signer that is not ours with SIGNER_NOT_TRUSTED, before any fetch', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const token = signer.sign({ header: { signer: TEST_ALB.otherArn, kid: randomUUID() } });
    assert.equal(await refusal(verifier.verify(token)), 'SIGNER_NOT_TRUSTED');
    assert.equal(await refusal(verifier.verify(signer.sign({ header: { signer: undefined } }))), 'SIGNER_NOT_TRUSTED');
    assert.equal(keyStore.fetchCount, 0);
  });

  it('refuses a wrong issuer (header or payload)', async () => {
    const { verifier } = makeVerifier(keys.url);
    assert.equal(await refusal(verifier.verify(signer.sign({ header: { iss: 'https://evil.example' } }))), 'TOKEN_INVALID');
    assert.equal(await refusal(verifier.verify(signer.sign({ claims: { iss: 'https://evil.example' } }))), 'TOKEN_INVALID');
  });

  it('refuses a wrong client', async () => {
    const { verifier } = makeVerifier(keys.url);
    assert.equal(await refusal(verifier.verify(signer.sign({ header: { client: 'other-client' } }))), 'TOKEN_INVALID');
  });

  it('accepts any client when no client ids are configured', async () => {
    const { verifier } = makeVerifier(keys.url, { clientIds: null });
    assert.ok(await verifier.verify(signer.sign({ header: { client: 'other-client' } })));
  });

  it('refuses a past header exp even when the payload exp is fine', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const token = signer.sign({ header: { exp: Math.floor(Date.now() / 1000) - 10 } });
    assert.equal(await refusal(verifier.verify(token)), 'TOKEN_EXPIRED');
    assert.equal(keyStore.fetchCount, 0);
  });

  it('refuses a past payload exp', async () => {
    const { verifier } = makeVerifier(keys.url);
    const past = Math.floor(Date.now() / 1000) - 10;
    assert.equal(await refusal(verifier.verify(signer.sign({ header: { exp: undefined }, claims: { exp: past } }))), 'TOKEN_EXPIRED');
  });

  it('allows ALB_GRACE_SECONDS of clock skew on exp', async () => {
    const { verifier } = makeVerifier(keys.url, { graceSeconds: 60 });
    assert.ok(await verifier.verify(signer.sign({ expiresIn: -10 })));
  });

  it('refuses a future nbf', async () => {
    const { verifier } = makeVerifier(keys.url);
    const nbf = Math.floor(Date.now() / 1000) + 60;
    assert.equal(await refusal(verifier.verify(signer.sign({ claims: { nbf } }))), 'TOKEN_INVALID');
  });

  it('refuses kid ../../x without fetching', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const before = keys.totalHits();
    assert.equal(await refusal(verifier.verify(signer.sign({ header: { kid: '../../x' } }))), 'TOKEN_INVALID');
    assert.equal(keyStore.fetchCount, 0);
    assert.equal(keys.totalHits(), before);
  });

  it('answers KEY_UNAVAILABLE for an unknown kid and does not fetch it again for a while', async () => {
    const { verifier } = makeVerifier(keys.url);
    const kid = randomUUID();
    for (let i = 0; i < 5; i++) {
      assert.equal(await refusal(verifier.verify(signer.sign({ header: { kid } }))), 'KEY_UNAVAILABLE');
    }
    assert.equal(keys.hits.get(kid), 1);
  });

  it('fetches a kid once for 50 concurrent tokens', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    keys.delayMs = 20;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => verifier.verify(signer.sign({ claims: { n: i } }))));
    assert.equal(results.length, 50);
    assert.equal(keyStore.fetchCount, 1);
  });

  it('bounds the fetches caused by a flood of random kids', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const codes = await Promise.all(
      Array.from({ length: 200 }, () => refusal(verifier.verify(signer.sign({ header: { kid: randomUUID() } })))),
    );
    assert.ok(codes.every((code) => code === 'KEY_UNAVAILABLE'));
    assert.ok(keyStore.fetchCount <= 5, `fetched ${keyStore.fetchCount} times`);
  });

  it('spends the fetch budget on unknown kids and failures only: a new real kid after ordinary fetches is fetched at once', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    // Ordinary traffic: three rotations served, one unknown kid, one key-server error.
    for (let i = 0; i < 3; i++) {
      const rotated = new AlbTestSigner();
      keys.add(rotated.kid, rotated.publicPem);
      await verifier.verify(rotated.sign());
    }
    assert.equal(await refusal(verifier.verify(signer.sign({ header: { kid: randomUUID() } }))), 'KEY_UNAVAILABLE');
    keys.down = true;
    assert.equal(await refusal(verifier.verify(new AlbTestSigner().sign())), 'KEY_UNAVAILABLE');
    keys.down = false;
    assert.equal(keyStore.fetchCount, 5);
    // The next real kid, asked once: fetched now, not left to a priority fetch that needs two askers.
    const next = new AlbTestSigner();
    keys.add(next.kid, next.publicPem);
    assert.ok(await verifier.verify(next.sign()), 'accepted');
    assert.equal(keyStore.fetchCount, 6);
    // The flood bound still holds: random kids spend what is left, then wait for priority fetches.
    const codes = await Promise.all(Array.from({ length: 100 }, () => refusal(verifier.verify(signer.sign({ header: { kid: randomUUID() } })))));
    assert.ok(codes.every((code) => code === 'KEY_UNAVAILABLE'));
    assert.ok(keyStore.fetchCount <= 6 + 5, `fetched ${keyStore.fetchCount} times`);
  });

  it('accepts a genuine new kid within 2 s while ~40 tokens/s with random kids run, with bounded fetches', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const started = Date.now();
    let flooding = true;
    const flood = (async () => {
      // Each random kid twice, so the noise competes for priority fetches as well.
      while (flooding) {
        const kid = randomUUID();
        for (const _ of [1, 2]) void refusal(verifier.verify(signer.sign({ header: { kid } })));
        await new Promise((done) => setTimeout(done, 50));
      }
    })();
    await new Promise((done) => setTimeout(done, 700));
    const rotated = new AlbTestSigner();
    keys.add(rotated.kid, rotated.publicPem);
    const rotatedAt = Date.now();
    let acceptedAfter: number | undefined;
    while (acceptedAfter === undefined && Date.now() - rotatedAt < 5000) {
      // As an ALB after rotation: the new kid on every user's next request.
      const attempts = await Promise.all(Array.from({ length: 3 }, () => Promise.resolve(verifier.verify(rotated.sign())).then(() => true, () => false)));
      if (attempts.some(Boolean)) acceptedAfter = Date.now() - rotatedAt;
      else await new Promise((done) => setTimeout(done, 100));
    }
    flooding = false;
    await flood;
    assert.ok(acceptedAfter !== undefined && acceptedAfter < 2000, `the rotated kid was accepted after ${acceptedAfter ?? '>5000'} ms`);
    const minutes = (Date.now() - started) / 60_000;
    // Burst 5, one more per 10 s (as much again refunded for keys found), one priority fetch per 500 ms at most.
    const bound = 2 * (5 + Math.ceil(minutes * 6)) + Math.ceil(minutes * 120);
    assert.ok(keyStore.fetchCount <= bound, `fetched ${keyStore.fetchCount} times in ${(minutes * 60).toFixed(1)} s (bound ${bound})`);
  });

  it('keeps at most maxKeys keys, dropping the least recently used', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url, { keyCache: { maxKeys: 2 } });
    const [a, b, c] = [new AlbTestSigner(), new AlbTestSigner(), new AlbTestSigner()];
    for (const other of [a, b, c]) keys.add(other.kid, other.publicPem);
    let n = 0;
    const fresh = (who: AlbTestSigner) => verifier.verify(who.sign({ claims: { n: n++ } }));
    await fresh(a);
    await fresh(b);
    await fresh(a); // a is now the most recently used
    await fresh(c); // evicts b
    assert.equal(keyStore.fetchCount, 3);
    await fresh(a);
    await fresh(c);
    assert.equal(keyStore.fetchCount, 3, 'a and c stayed');
    await fresh(b);
    assert.equal(keyStore.fetchCount, 4, 'b was fetched again');
  });

  it('answers KEY_UNAVAILABLE when the key endpoint is down, and keeps serving cached keys', async () => {
    const { verifier } = makeVerifier(keys.url);
    assert.ok(await verifier.verify(signer.sign()));
    keys.down = true;
    assert.ok(await verifier.verify(signer.sign({ claims: { n: 'cached key' } })));
    const other = new AlbTestSigner();
    keys.add(other.kid, other.publicPem);
    assert.equal(await refusal(verifier.verify(other.sign())), 'KEY_UNAVAILABLE');
  });

  it('answers KEY_UNAVAILABLE when nothing listens at the key endpoint', async () => {
    const { verifier } = makeVerifier('http://127.0.0.1:9');
    assert.equal(await refusal(verifier.verify(signer.sign())), 'KEY_UNAVAILABLE');
  });

  it('verifies a token seen again from its cache, without a signature check, from its second verification on', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const token = signer.sign();
    // Every signature check, here or on a thread, starts with the key store's cachedJwk.
    const keyLookups = mock.method(keyStore, 'cachedJwk');
    const first = await verifier.verify(token);
    assert.equal(keyLookups.mock.callCount(), 1);
    // Seen once, not kept (an ALB may sign a new token per request): checked again, then kept.
    assert.deepEqual(await verifier.verify(token), first);
    assert.equal(keyLookups.mock.callCount(), 2);
    assert.deepEqual(await verifier.verify(token), first);
    assert.deepEqual(await verifier.verify(token), first);
    assert.equal(keyLookups.mock.callCount(), 2);
    await verifier.verify(signer.sign({ claims: { n: 'fresh' } }));
    assert.equal(keyLookups.mock.callCount(), 3);
  });

  it('hands back a kept token without an access token as the same object, refused ACCESS_TOKEN_MISSING', async () => {
    const { verifier } = makeVerifier(keys.url, { accessToken: { issuer: TEST_ALB.issuer, jwksUri: `${keys.url}/jwks.json`, clientIds: [TEST_ALB.clientId] } });
    const token = signer.sign();
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await verifier.verify(token));
    for (const verified of seen) assert.equal(verified.access && 'refusal' in verified.access && verified.access.refusal.code, 'ACCESS_TOKEN_MISSING');
    // Kept from its second verification on, and the same object from then on: what the login cache keys by.
    assert.notEqual(seen[1], seen[0]);
    assert.equal(seen[2], seen[1]);
    assert.equal(seen[3], seen[1]);
    assert.ok(Object.isFrozen(seen[1].access) && 'refusal' in seen[1].access! && Object.isFrozen(seen[1].access.refusal));
    // Another kept token has its own, with its own claims; an empty header is no access token either.
    const other = signer.sign({ claims: { n: 'other' } });
    await verifier.verify(other);
    const kept = await verifier.verify(other);
    assert.notEqual(kept, seen[1]);
    assert.equal(kept.claims.n, 'other');
    assert.equal(await verifier.verify(other, undefined, ''), kept);
    // The same token with an access token is another pair, with that token's outcome.
    const withAccess = await verifier.verify(token, undefined, 'not.a.jwt');
    assert.notEqual(withAccess, seen[1]);
    assert.equal(withAccess.access && 'refusal' in withAccess.access && withAccess.access.refusal.code, 'ACCESS_TOKEN_INVALID');
    assert.equal(await verifier.verify(token), seen[1]);
  });

  it('finds a kept token by its exact string only: the same signature under another payload is refused', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const token = signer.sign({ claims: { sub: 'kept' } });
    await verifier.verify(token);
    const kept = await verifier.verify(token);
    assert.equal(verifier.verify(token), kept);
    // The cache looks a token up by its signature's last characters: a forged token can share them.
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...kept.claims, sub: 'admin' })).toString('base64url')}.${signature}`;
    assert.equal(forged.slice(-64), token.slice(-64));
    assert.equal(await refusal(verifier.verify(forged)), 'TOKEN_INVALID');
    assert.equal(await refusal(verifier.verify(forged)), 'TOKEN_INVALID');
    // The kept token stays kept: no signature check.
    const keyLookups = mock.method(keyStore, 'cachedJwk');
    assert.equal(await verifier.verify(token), kept);
    assert.equal(keyLookups.mock.callCount(), 0);
  });

  it("answers without a promise only a kept token whose checks all pass; the rest is verify()'s promise", async () => {
    const { verifier } = makeVerifier(keys.url);
    const token = signer.sign({ claims: { sub: 'the-sub' }, expiresIn: 60 });
    const first = verifier.verify(token);
    assert.ok(first instanceof Promise);
    await first;
    const second = verifier.verify(token);
    assert.ok(second instanceof Promise);
    const kept = await second;
    assert.equal(verifier.verify(token), kept);
    assert.equal(verifier.verify(token, 'the-sub'), kept);
    assert.equal(await refusal(verifier.verify(token, 'someone-else')), 'TOKEN_INVALID');
    assert.equal(await refusal(verifier.verify(undefined)), 'TOKEN_MISSING');
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 61_000 });
    try {
      const expired = verifier.verify(token);
      assert.ok(expired instanceof Promise);
      assert.equal(await refusal(expired), 'TOKEN_EXPIRED');
    } finally {
      mock.timers.reset();
    }
  });

  it('keeps the pairs of one access token with many ALB tokens apart, each known at once', async () => {
    const { verifier } = makeVerifier(keys.url, { accessToken: { issuer: TEST_ALB.issuer, jwksUri: `${keys.url}/jwks.json`, clientIds: [TEST_ALB.clientId] } });
    // An access token lives longer than the ALB tokens signed for its session.
    const accessToken = `${'a'.repeat(100)}.${'b'.repeat(100)}.${'c'.repeat(86)}`;
    const albTokens = Array.from({ length: 3 }, (_, n) => signer.sign({ claims: { n } }));
    const kept: Array<Awaited<ReturnType<typeof verifier.verify>>> = [];
    for (const alb of albTokens) {
      await verifier.verify(alb, undefined, accessToken);
      kept.push(await verifier.verify(alb, undefined, accessToken));
    }
    albTokens.forEach((alb, n) => {
      const known = verifier.verify(alb, undefined, accessToken) as VerifiedAlbToken;
      assert.equal(known, kept[n], `ALB token ${n}`);
      assert.equal(known?.access && 'refusal' in known.access && known.access.refusal.code, 'ACCESS_TOKEN_INVALID');
    });
    // Without the access token: its own kept outcome; with another: not known yet.
    const unpaired = verifier.verify(albTokens[0]);
    assert.equal(unpaired, await verifier.verify(albTokens[0]));
    assert.ok(!(unpaired instanceof Promise));
    const another = verifier.verify(albTokens[0], undefined, `${accessToken}x`);
    assert.ok(another instanceof Promise);
    // That pair is found where the kept one is (by the ALB token's tail): seen once, it does not push it out.
    await another;
    assert.equal(verifier.verify(albTokens[0], undefined, accessToken), kept[0]);
  });

  it("keeps each token's first sighting apart: another token seen once does not let it in early", async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const tokens = Array.from({ length: 20 }, (_, n) => signer.sign({ claims: { n } }));
    const keyLookups = mock.method(keyStore, 'cachedJwk');
    for (const token of tokens) await verifier.verify(token);
    // Each token's second verification checks its signature again (it was seen once), then keeps it.
    for (const token of tokens) await verifier.verify(token);
    assert.equal(keyLookups.mock.callCount(), 40);
    for (const token of tokens) await verifier.verify(token);
    assert.equal(keyLookups.mock.callCount(), 40);
  });

  it('refuses a cached token once it has expired', async () => {
    const { verifier, keyStore } = makeVerifier(keys.url);
    const token = signer.sign({ expiresIn: 60 });
    assert.ok(await verifier.verify(token));
    assert.ok(await verifier.verify(token));
    // From the cache: no signature check.
    const keyLookups = mock.method(keyStore, 'cachedJwk');
    assert.ok(await verifier.verify(token));
    assert.equal(keyLookups.mock.callCount(), 0);
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 61_000 });
    try {
      assert.equal(await refusal(verifier.verify(token)), 'TOKEN_EXPIRED');
    } finally {
      mock.timers.reset();
    }
  });

  it('refuses an x-amzn-oidc-identity that is not the token sub', async () => {
    const { verifier } = makeVerifier(keys.url);
    const token = signer.sign({ claims: { sub: 'the-sub' } });
    assert.ok(await verifier.verify(token, 'the-sub'));
    assert.equal(await refusal(verifier.verify(token, 'someone-else')), 'TOKEN_INVALID');
  });

  describe('the real ALB token (test/fixtures, from smallrye-jwt)', () => {
    const token = readFileSync(join(FIXTURES, 'cognito-eu-central-1.token'), 'utf8').trim();
    const pem = readFileSync(join(FIXTURES, 'cognito-eu-central-1.pem'), 'utf8');
    const kid = 'c2f80c8b-c05c-4068-af14-17299f7896b1';
    const real = {
      arns: ['arn:aws:elasticloadbalancing:eu-central-1:197280958225:loadbalancer/app/ecs-with-cognito-lb/6284be65b827c598'],
      issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_MyRrOCHQw',
      clientIds: ['4fmvht22tjrgd7d3k3tghttct7'],
    };
    const exp = 1687748045;
    before(() => keys.add(kid, pem));
    afterEach(() => mock.timers.reset());

    it('is accepted with the clock fixed before its exp', { skip: threads > 0 && 'mock timers do not reach a verify thread (it has its own clock)' }, async () => {
      mock.timers.enable({ apis: ['Date'], now: (exp - 60) * 1000 });
      const { verifier } = makeVerifier(keys.url, real);
      const verified = await verifier.verify(token);
      assert.equal(verified.claims.email, 'duke@sun.com');
      assert.equal(verified.claims.username, 'duke');
      assert.equal(verified.sub, '23d498b2-3031-70d2-8a15-49dd886a087b');
    });

    it('is refused with TOKEN_EXPIRED after its exp', async () => {
      mock.timers.enable({ apis: ['Date'], now: (exp + 1) * 1000 });
      const { verifier } = makeVerifier(keys.url, real);
      assert.equal(await refusal(verifier.verify(token)), 'TOKEN_EXPIRED');
    });

    it('is refused when its padding is altered in the signed segments', async () => {
      mock.timers.enable({ apis: ['Date'], now: (exp - 60) * 1000 });
      const { verifier } = makeVerifier(keys.url, real);
      const [header, payload, signature] = token.split('.');
      const stripped = `${header.replace(/=+$/, '')}.${payload.replace(/=+$/, '')}.${signature}`;
      assert.equal(await refusal(verifier.verify(stripped)), 'TOKEN_INVALID');
    });
  });
});
