import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { enableJit } from '../support/admin-client';
import { AccessTokenTestSigner, TEST_ALB } from '../support/alb-test-signer';
import { assertError, assertStatus } from '../support/http';
import { testConfig } from '../support/test-app';
import { useTestStack } from '../support/test-stack';

/** The seed guide's Cognito connector: groups only from the access token, `idp-` stripped. */
const COGNITO_CONNECTOR = {
  name: 'Cognito JIT',
  mappings: [
    { attribute: 'username', sources: ['username', 'email'] },
    { attribute: 'displayName', sources: ['name', 'email'] },
    { attribute: 'email', sources: ['email'] },
    {
      attribute: 'groups',
      sources: ['access:cognito:groups'],
      onNoMatch: 'ignore',
      transformations: [{ type: 'regexReplace', pattern: '^idp-(.*)$', replacement: '$1' }],
    },
  ],
};

describe('Access-token claims (x-amzn-oidc-accesstoken, verified)', () => {
  const access = new AccessTokenTestSigner();
  const stack = useTestStack({}, (keys) => ({ ALB_ACCESS_TOKEN_JWKS_URI: keys.jwksUrl }));
  const countUsers = async (directoryId: string) => (await stack.admin.get(`/api/user-sync/directories/${directoryId}/users`)).body.total as number;
  let directoryId = '';

  before(async () => {
    stack.keys.jwks.push(access.jwk);
    ({ directoryId } = await enableJit(stack.admin, COGNITO_CONNECTOR, { accessGroups: ['confluence-users'] }));
  });

  /** A Cognito user-info token: no groups in it, as the ALB forwards them. */
  const login = (sub: string, accessToken?: string) => {
    const call = stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub, username: `user-${sub}`, email: `${sub}@example.com` } }));
    return accessToken === undefined ? call : call.set('x-amzn-oidc-accesstoken', accessToken);
  };

  it('maps cognito:groups from the verified access token: group confluence-users, access granted', async () => {
    const sub = randomUUID();
    const response = await login(sub, access.sign({ sub, claims: { 'cognito:groups': ['idp-confluence-users'] } }));
    assertStatus(response, 200);
    assert.equal(response.body.username, `user-${sub}`);
    assert.deepEqual(response.body.groups, ['confluence-users']);
  });

  it('refuses forged or unusable access tokens with the access-token codes, and writes nothing', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const groups = { 'cognito:groups': ['idp-confluence-users'] };
    const cases: Array<[string, (sub: string) => string | undefined, string, RegExp]> = [
      ['no access token', () => undefined, 'ACCESS_TOKEN_MISSING', /No access token/],
      ['signed by another key (same kid)', (sub) => access.sign({ sub, claims: groups, key: otherKey }), 'ACCESS_TOKEN_INVALID', /signature/],
      ['another user\'s (other sub)', () => access.sign({ sub: randomUUID(), claims: groups }), 'ACCESS_TOKEN_INVALID', /another user/],
      ['expired', (sub) => access.sign({ sub, claims: groups, expiresIn: -60 }), 'ACCESS_TOKEN_INVALID', /expired/],
      ['from another issuer', (sub) => access.sign({ sub, claims: groups, issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_OtherPool' }), 'ACCESS_TOKEN_INVALID', /issuer/],
      ['alg none', (sub) => access.sign({ sub, claims: groups, header: { alg: 'none' } }), 'ACCESS_TOKEN_INVALID', /not a well-formed JWT/],
      ['an ID token in its place', (sub) => access.sign({ sub, claims: { ...groups, token_use: 'id' } }), 'ACCESS_TOKEN_INVALID', /token_use/],
      ['issued to another client', (sub) => access.sign({ sub, claims: { ...groups, client_id: 'other-client' } }), 'ACCESS_TOKEN_INVALID', /another client/],
      ['opaque (not a JWT)', () => 'aGVsbG8gb3BhcXVlIHRva2Vu', 'ACCESS_TOKEN_INVALID', /opaque access tokens are not supported/],
      ['without exp (it would never expire)', (sub) => access.sign({ sub, claims: { ...groups, exp: undefined } }), 'ACCESS_TOKEN_INVALID', /no expiry/],
    ];
    const before = await countUsers(directoryId);
    for (const [name, make, code, message] of cases) {
      const sub = randomUUID();
      const response = await login(sub, make(sub));
      assertError(response, 401, code);
      assert.match(response.body.message, message, name);
      const audit = await stack.admin.get(`/api/user-sync/audit?type=login.refused&limit=1`);
      assert.equal(audit.body.items[0]?.details?.code, code, `${name}: audited`);
      // Under the username the mapping gives, so that ?username= finds it (docs/audit-events.md).
      assert.equal(audit.body.items[0]?.username, `user-${sub}`, `${name}: audited under its username`);
      const found = await stack.admin.get(`/api/user-sync/audit?type=login.refused&username=${encodeURIComponent(`user-${sub}`)}`);
      assert.equal(found.body.total, 1, `${name}: found by username`);
    }
    assert.equal(await countUsers(directoryId), before, 'no user was created');
  });

  it('200 access tokens with random kids cause at most one JWKS fetch per back-off period (10 s)', async () => {
    const sub = randomUUID();
    const hits = () => stack.keys.hits.get('jwks.json') ?? 0;
    const start = hits();
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => login(sub, access.sign({ sub, header: { kid: randomUUID() } }))),
    );
    // Unknown to the JWKS fetched for them: 401; arriving during the back-off that follows: 503, retry.
    for (const response of responses) {
      if (response.status === 401) assertError(response, 401, 'ACCESS_TOKEN_INVALID');
      else assertError(response, 503, 'KEY_UNAVAILABLE');
    }
    assert.ok(hits() - start <= 1, `${hits() - start} JWKS fetches`);
    // Keys out of reach are an outage the next request retries, never a refusal audited (or remembered).
    const refused = (await stack.admin.get('/api/user-sync/audit?type=login.refused&limit=100')).body.items as Array<{ details: { code: string } }>;
    assert.equal(refused.filter((event) => event.details.code === 'KEY_UNAVAILABLE').length, 0);
  });
});

describe('Access tokens when no mapping reads them', () => {
  // An issuer whose keys cannot be fetched: nothing may depend on it while no mapping reads access claims.
  const stack = useTestStack({}, { ALB_ACCESS_TOKEN_JWKS_URI: 'http://127.0.0.1:9/jwks.json' });
  const cachedVerifications = async () => {
    const text = (await stack.http.get('/metrics')).text;
    return Number(/alb_usersync_token_verifications_total\{outcome="cached"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  before(async () => {
    await enableJit(stack.admin);
  });

  it('ignores a missing or invalid access token, as before', async () => {
    const token = stack.signer.sign({ claims: { sub: randomUUID(), email: 'plain@example.com' } });
    assertStatus(await stack.http.get('/api/me').set('x-amzn-oidc-data', token), 200);
    assertStatus(await stack.http.get('/api/me').set('x-amzn-oidc-data', token).set('x-amzn-oidc-accesstoken', 'not-a-jwt'), 200);
  });

  it('keeps the ALB token verified once while the access token issuer\'s keys are unreachable', async () => {
    const sub = randomUUID();
    const token = stack.signer.sign({ claims: { sub, email: 'jwks-down@example.com' } });
    const accessToken = new AccessTokenTestSigner().sign({ sub });
    const before = await cachedVerifications();
    for (let i = 0; i < 4; i++) assertStatus(await stack.http.get('/api/me').set('x-amzn-oidc-data', token).set('x-amzn-oidc-accesstoken', accessToken), 200);
    // A token is kept from its second verification on.
    assert.equal((await cachedVerifications()) - before, 2, 'the third and fourth requests reuse the verified ALB token');
  });

  it('refuses an unusable ALB_ACCESS_TOKEN_ISSUER configuration at start, naming the variable', () => {
    assert.throws(() => testConfig('http://127.0.0.1:9', { ALB_ACCESS_TOKEN_ISSUER: 'https://idp.example.com' }), /ALB_ACCESS_TOKEN_JWKS_URI: required[\s\S]*ALB_ACCESS_TOKEN_CLIENT_IDS: required/);
    assert.throws(() => testConfig('http://127.0.0.1:9', { ALB_ACCESS_TOKEN_ISSUER: 'https://idp.example.com', ALB_ACCESS_TOKEN_JWKS_URI: 'http://idp.example.com/keys', ALB_ACCESS_TOKEN_CLIENT_IDS: 'api://default' }), /ALB_ACCESS_TOKEN_JWKS_URI: must be an https URL/);
    assert.deepEqual(testConfig('http://127.0.0.1:9', { ALB_ACCESS_TOKEN_ISSUER: 'https://idp.example.com', ALB_ACCESS_TOKEN_JWKS_URI: 'https://idp.example.com/keys', ALB_ACCESS_TOKEN_CLIENT_IDS: 'api://default' }).alb.accessToken?.clientIds, ['api://default']);
    assert.equal(testConfig('http://127.0.0.1:9').alb.accessToken?.issuer, TEST_ALB.issuer, 'derived from a Cognito ALB_ISSUER');
    assert.equal(testConfig('http://127.0.0.1:9', { ALB_ACCESS_TOKEN_ISSUER: 'off' }).alb.accessToken, null);
  });
});
