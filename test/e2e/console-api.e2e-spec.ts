import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enableJit, SIMPLE_CONNECTOR } from '../support/admin-client';
import { assertError, assertStatus } from '../support/http';
import { useTestStack } from '../support/test-stack';

/** What the admin console needs of the API beyond the seed's routes. */
describe('Admin API for the console', () => {
  const stack = useTestStack();
  let connectorId = '';
  let directoryId = '';
  const login = (sub: string, email: string, groups: string[]) =>
    stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub, email, name: email, groups } }));

  before(async () => {
    ({ id: connectorId, directoryId } = await enableJit(stack.admin));
  });

  it('previews an unsaved connector body: the edit, not the stored connector, decides; nothing is written', async () => {
    assertStatus(await login('p-1', 'pat@example.com', ['dev']), 200);
    const body = {
      ...SIMPLE_CONNECTOR,
      mappings: [
        { attribute: 'username', sources: ['email'], transformations: [{ type: 'stripDomain' }] },
        { attribute: 'displayName', sources: ['name'] },
        { attribute: 'email', sources: ['email'] },
        { attribute: 'groups', sources: ['groups'] },
      ],
    };
    const claims = { sub: 'p-1', email: 'pat@example.com', name: 'Pat', groups: ['dev', 'ops'] };
    const preview = await stack.admin.post('/api/user-sync/connectors/preview', { connector: body, connectorId, claims });
    assertStatus(preview, 200);
    assert.equal(preview.body.decision, 'rename');
    assert.equal(preview.body.user.username, 'pat');
    assert.deepEqual(preview.body.groupsAdded, ['ops']);
    const stored = await stack.admin.get(`/api/user-sync/directories/${directoryId}/users/pat@example.com`);
    assertStatus(stored, 200);
    assert.deepEqual(stored.body.groups, ['dev'], 'nothing written');

    const fresh = await stack.admin.post('/api/user-sync/connectors/preview', { connector: body, claims });
    assert.equal(fresh.body.decision, 'create', 'a connector with a new directory sees no existing user');

    const bad = await stack.admin.post('/api/user-sync/connectors/preview', {
      connector: { ...body, mappings: [{ attribute: 'username', sources: ['email'], transformations: [{ type: 'regexReplace', pattern: '(a)\\1' }] }] },
      claims,
    });
    assertError(bad, 400, 'VALIDATION_FAILED');
    assert.match(bad.body.message, /mappings\[0\]\.transformations\[0\]: regexReplace: pattern is not a valid regular expression/);
  });

  it('saving a connector that cannot create users warns (422 CONFIRMATION_REQUIRED, nothing stored) until confirmed', async () => {
    const onlyUsername = { ...SIMPLE_CONNECTOR, name: 'Half', createDirectory: true, mappings: [{ attribute: 'username', sources: ['email'] }] };
    const refused = await stack.admin.post('/api/user-sync/connectors', onlyUsername);
    assertError(refused, 422, 'CONFIRMATION_REQUIRED');
    assert.match(refused.body.message, /no full name \(displayName\) mapping: new users cannot be created; no email mapping/);
    assert.deepEqual(refused.body.warnings, ['no full name (displayName) mapping: new users cannot be created', 'no email mapping: new users cannot be created']);
    assert.equal((await stack.admin.get('/api/user-sync/connectors')).body.items.filter((c: { name: string }) => c.name === 'Half').length, 0);

    const checked = await stack.admin.post('/api/user-sync/connectors', { ...SIMPLE_CONNECTOR, name: 'Checked', createDirectory: true, checkClaims: { claims: { sub: 'x', name: 'No Email' } } });
    assertError(checked, 422, 'CONFIRMATION_REQUIRED');
    assert.deepEqual(checked.body.warnings, ['the claims last previewed: no username, email (no value for username: claim email missing or empty; no value for email: claim email missing or empty): could not sign in for the first time']);

    const confirmed = await stack.admin.post('/api/user-sync/connectors', { ...onlyUsername, confirm: true });
    assertStatus(confirmed, 201);
    assert.deepEqual(confirmed.body.warnings, refused.body.warnings, 'the answer lists the warnings the save went ahead despite');
    const clean = await stack.admin.post('/api/user-sync/connectors', { ...SIMPLE_CONNECTOR, name: 'Clean', createDirectory: true });
    assertStatus(clean, 201);
    assert.deepEqual(clean.body.warnings, []);
    const patch = await stack.admin.patch(`/api/user-sync/connectors/${connectorId}`, { mappings: onlyUsername.mappings });
    assertError(patch, 422, 'CONFIRMATION_REQUIRED');
    // An import restores an exported connector as it was: no confirmation asked.
    assertStatus(await stack.admin.post('/api/user-sync/connectors/import', { ...onlyUsername, name: 'Imported half' }), 201);
  });

  it('lists connectors with users provisioned and the last login; a user with who granted each group; groups with member counts', async () => {
    assertStatus(await login('c-1', 'carol@example.com', ['dev']), 200);
    const connectors = await stack.admin.get('/api/user-sync/connectors');
    const mine = connectors.body.items.find((connector: { id: string }) => connector.id === connectorId);
    assert.equal(mine.stats.users, 2);
    assert.ok(Date.now() - new Date(mine.stats.lastLoginAt).getTime() < 60_000, String(mine.stats.lastLoginAt));

    assertStatus(await stack.admin.patch(`/api/user-sync/directories/${directoryId}/users/carol@example.com`, { groups: ['dev', 'auditors'] }), 200);
    const carol = await stack.admin.get(`/api/user-sync/directories/${directoryId}/users/carol@example.com`);
    assert.deepEqual(carol.body.memberships, [
      { group: 'auditors', origin: 'manual' },
      { group: 'dev', origin: connectorId },
      { group: 'dev', origin: 'manual' },
    ]);
    const groups = await stack.admin.get(`/api/user-sync/directories/${directoryId}/groups`);
    assert.deepEqual(
      groups.body.items.map((group: { name: string; members: number }) => [group.name, group.members]),
      [['auditors', 1], ['dev', 2]],
    );
  });

  it('filters the audit log by time', async () => {
    const now = new Date();
    const later = await stack.admin.get(`/api/user-sync/audit?since=${encodeURIComponent(new Date(now.getTime() + 60_000).toISOString())}`);
    assertStatus(later, 200);
    assert.equal(later.body.total, 0);
    const all = await stack.admin.get(`/api/user-sync/audit?since=2000-01-01T00:00:00Z&until=${encodeURIComponent(new Date(now.getTime() + 60_000).toISOString())}`);
    assert.ok(all.body.total > 0);
    const before = await stack.admin.get('/api/user-sync/audit?until=2000-01-01T00:00:00Z');
    assert.equal(before.body.total, 0);
    assertError(await stack.admin.get('/api/user-sync/audit?since=yesterday'), 400, 'VALIDATION_FAILED');
    assertError(await stack.admin.get('/api/user-sync/audit?since=2024-W01'), 400, 'VALIDATION_FAILED');
    assertError(await stack.admin.get('/api/user-sync/audit?since=2024-01-01T00:00:00'), 400, 'VALIDATION_FAILED', 'offset');
  });

  it('GET /api/me/claims answers the signed-in user\'s own verified claims', async () => {
    const response = await stack.http.get('/api/me/claims').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub: 'c-1', email: 'carol@example.com', groups: ['dev'] } }));
    assertStatus(response, 200);
    assert.equal(response.body.claims.email, 'carol@example.com');
    assert.equal(response.body.accessClaims, null);
  });

  it('GET /admin answers with the console\'s Content-Security-Policy, without an ALB token', async () => {
    const response = await stack.http.get('/admin');
    assert.match(response.headers['content-security-policy'], /default-src 'self'; script-src 'self'/);
    assert.equal(response.headers['x-frame-options'], 'DENY');
  });
});

describe('Saving a connector against sample identities (local mode: the emulator\'s)', () => {
  const stack = useTestStack({
    userSync: {
      sampleIdentities: [
        { label: 'Demo User', claims: { sub: 'demo', username: 'demo.user', email: 'demo.user@example.com', name: 'Demo User' } },
        { label: 'Full Name', claims: { sub: 'full', email: 'full@example.com', given_name: 'Full', family_name: 'Name' } },
      ],
    },
  });
  const connector = (displayName: Record<string, unknown>) => ({
    ...SIMPLE_CONNECTOR,
    name: `Samples ${JSON.stringify(displayName).length}`,
    createDirectory: true,
    mappings: [
      { attribute: 'username', sources: ['email'], transformations: [{ type: 'stripDomain' }] },
      { attribute: 'displayName', ...displayName },
      { attribute: 'email', sources: ['email'] },
    ],
  });

  it('warns (422) when a sample identity could not be created, and saves a template with a fallback that serves both', async () => {
    const templateOnly = await stack.admin.post('/api/user-sync/connectors', connector({ template: '{given_name} {family_name}' }));
    assertError(templateOnly, 422, 'CONFIRMATION_REQUIRED');
    assert.deepEqual(templateOnly.body.warnings, [
      'Demo User: no full name (displayName): could not sign in for the first time',
    ]);
    const withFallback = await stack.admin.post('/api/user-sync/connectors', connector({ template: '{given_name} {family_name}', sources: ['name'] }));
    assertStatus(withFallback, 201);
    assert.deepEqual(withFallback.body.warnings, []);
    const preview = async (claims: Record<string, unknown>) =>
      (await stack.admin.post(`/api/user-sync/connectors/${withFallback.body.id}/preview`, { claims })).body.user.displayName;
    assert.equal(await preview({ sub: 'a', email: 'a@example.com', given_name: 'Ada', family_name: 'Lovelace', name: 'A' }), 'Ada Lovelace');
    assert.equal(await preview({ sub: 'b', email: 'b@example.com', name: 'Demo User' }), 'Demo User');
  });
});
