import { INestApplication } from '@nestjs/common';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AlbTestSigner, TEST_ALB } from '../support/alb-test-signer';
import { assertError } from '../support/http';
import { useTestStack } from '../support/test-stack';
import { adminClient, enableJit } from '../support/admin-client';

describe('AlbAuth over HTTP', () => {
  const stack = useTestStack();
  const { signer, keys } = stack;
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  before(async () => {
    ({ app, http } = stack);
    await enableJit(adminClient(http));
  });

  it('GET /api/me answers 200 for a valid ALB token', async () => {
    const response = await http.get('/api/me').set('x-amzn-oidc-data', signer.sign({ claims: { email: 'jane.doe@example.com' } }));
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.email, 'jane.doe@example.com');
    assert.equal(response.body.username, 'jane.doe@example.com');
  });

  it('accepts a matching x-amzn-oidc-identity and refuses a different one', async () => {
    const token = signer.sign({ claims: { sub: 'sub-1', email: 'sub1@example.com' } });
    assert.equal((await http.get('/api/me').set('x-amzn-oidc-data', token).set('x-amzn-oidc-identity', 'sub-1')).status, 200);
    assertError(await http.get('/api/me').set('x-amzn-oidc-data', token).set('x-amzn-oidc-identity', 'sub-2'), 401, 'TOKEN_INVALID');
  });

  const bad: Array<[string, () => string, number, string]> = [
    ['malformed', () => 'not-a-token', 401, 'TOKEN_INVALID'],
    ['alg none', () => {
      const [, payload] = signer.sign().split('.');
      return `${Buffer.from(JSON.stringify({ alg: 'none', kid: signer.kid, signer: TEST_ALB.arn })).toString('base64url')}.${payload}.`;
    }, 401, 'TOKEN_INVALID'],
    ['tampered payload', () => {
      const [header, , signature] = signer.sign().split('.');
      const payload = Buffer.from(JSON.stringify({ sub: 'x', iss: TEST_ALB.issuer, exp: Date.now() / 1000 + 60 })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    }, 401, 'TOKEN_INVALID'],
    ['another key', () => signer.sign({ key: AlbTestSigner.otherKey() }), 401, 'TOKEN_INVALID'],
    ['DER signature', () => signer.sign({ derSignature: true }), 401, 'TOKEN_INVALID'],
    ['wrong signer', () => signer.sign({ header: { signer: TEST_ALB.otherArn } }), 401, 'SIGNER_NOT_TRUSTED'],
    ['wrong issuer', () => signer.sign({ header: { iss: 'https://evil.example' }, claims: { iss: 'https://evil.example' } }), 401, 'TOKEN_INVALID'],
    ['wrong client', () => signer.sign({ header: { client: 'nope' } }), 401, 'TOKEN_INVALID'],
    ['header exp past', () => signer.sign({ header: { exp: Math.floor(Date.now() / 1000) - 5 } }), 401, 'TOKEN_EXPIRED'],
    ['expired', () => signer.sign({ expiresIn: -5 }), 401, 'TOKEN_EXPIRED'],
    ['nbf future', () => signer.sign({ claims: { nbf: Math.floor(Date.now() / 1000) + 100 } }), 401, 'TOKEN_INVALID'],
    ['kid ../../x', () => signer.sign({ header: { kid: '../../x' } }), 401, 'TOKEN_INVALID'],
    ['unknown kid', () => signer.sign({ header: { kid: randomUUID() } }), 503, 'KEY_UNAVAILABLE'],
  ];
  for (const [name, token, status, code] of bad) {
    it(`refuses a token (${name}) with ${status} ${code}`, async () => {
      assertError(await http.get('/api/me').set('x-amzn-oidc-data', token()), status, code);
    });
  }

  it('answers GET /api/me before routing exactly as the framework route does (status, headers, body)', async () => {
    // `/api/me?…` is routed by the framework (guard, Passport, MeController, the error filter);
    // `/api/me` is answered as it reaches the server (MeEarlyAnswer).
    const valid = signer.sign({ claims: { sub: 'early-1', email: 'early.one@example.com' } });
    const cases: Array<[string, Record<string, string>]> = [
      ['valid', { 'x-amzn-oidc-data': valid }],
      ['valid again (cached)', { 'x-amzn-oidc-data': valid }],
      ['identity mismatch', { 'x-amzn-oidc-data': valid, 'x-amzn-oidc-identity': 'someone-else' }],
      ['no token', {}],
      ...bad.map(([name, token]): [string, Record<string, string>] => [name, { 'x-amzn-oidc-data': token() }]),
    ];
    const strip = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'requestId'));
    for (const [name, headers] of cases) {
      const early = await http.get('/api/me').set(headers);
      const routed = await http.get('/api/me?via=framework').set(headers);
      assert.equal(early.status, routed.status, `${name}: status`);
      assert.equal(early.headers['content-type'], routed.headers['content-type'], `${name}: content-type`);
      assert.deepEqual(strip(early.body), strip(routed.body), `${name}: body`);
      assert.match(early.headers['x-request-id'], /^[0-9a-f-]{36}$/, `${name}: request id`);
      if (early.status !== 200) assert.equal(early.body.requestId, early.headers['x-request-id'], `${name}: the body names the request`);
    }
  });

  it('refuses a request without a token with 401 TOKEN_MISSING', async () => {
    assertError(await http.get('/api/me'), 401, 'TOKEN_MISSING');
  });

  it('never trusts x-amzn-oidc-identity alone', async () => {
    assertError(await http.get('/api/me').set('x-amzn-oidc-identity', 'admin'), 401, 'TOKEN_MISSING');
  });

  it('fetches a key at most once for 50 requests with the same kid', async () => {
    const fresh = new AlbTestSigner();
    keys.add(fresh.kid, fresh.publicPem);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => http.get('/api/me').set('x-amzn-oidc-data', fresh.sign({ claims: { n: i } }))),
    );
    assert.ok(responses.every((response) => response.status === 200));
    assert.equal(keys.hits.get(fresh.kid), 1);
  });

  it('fetches a bounded number of keys for 200 requests with 200 random kids', async () => {
    const before = keys.totalHits();
    const responses = [];
    for (let i = 0; i < 200; i += 20) {
      responses.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, () => http.get('/api/me').set('x-amzn-oidc-data', signer.sign({ header: { kid: randomUUID() } }))),
        )),
      );
    }
    assert.ok(responses.every((response) => response.status === 503 && response.body.code === 'KEY_UNAVAILABLE'));
    const fetched = keys.totalHits() - before;
    assert.ok(fetched <= 10, `the key server saw ${fetched} requests`);
  });

  it('GET /health answers 200 with the database and key endpoint state, without a token', async () => {
    const response = await http.get('/health');
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.info.database.status, 'up');
    assert.equal(response.body.info.keyEndpoint.endpoint, keys.url);
  });

  it('GET /health/live answers 200 without a token and without touching the database', async () => {
    const dataSource = app.get(DataSource);
    const query = dataSource.query.bind(dataSource);
    let queries = 0;
    dataSource.query = ((...args: Parameters<typeof query>) => {
      queries++;
      return query(...args);
    }) as typeof dataSource.query;
    try {
      const response = await http.get('/health/live');
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { status: 'ok' });
      assert.equal(queries, 0, 'liveness ran a query');
      await http.get('/health');
      assert.ok(queries > 0, 'readiness pings the database (the counter sees queries)');
    } finally {
      dataSource.query = query;
    }
  });

  it('GET /api/docs serves the OpenAPI UI and document', async () => {
    assert.equal((await http.get('/api/docs')).status, 200);
    const json = await http.get('/api/docs-json');
    assert.equal(json.status, 200);
    assert.ok(json.body.paths['/api/me']);
  });

  it('answers unknown routes with the contract JSON 404', async () => {
    assertError(await http.get('/no/such/route'), 404, 'NOT_FOUND');
  });
});
