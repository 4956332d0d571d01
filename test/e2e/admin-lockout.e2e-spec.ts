import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enableJit, SIMPLE_CONNECTOR } from '../support/admin-client';
import { assertError, assertStatus } from '../support/http';
import { useTestStack } from '../support/test-stack';

/** A settings or connector change must not lock out the admin making it without saying so. */
describe('No admin locked out by a settings or connector change', () => {
  const stack = useTestStack();
  let first: { id: string; directoryId: string };
  const rootToken = () => stack.signer.sign({ claims: { sub: 'root-sub', email: 'root@example.com', name: 'Root', groups: ['staff'] } });
  /** The admin API as the signed-in admin (its ALB token), not as the API token. */
  const asRoot = {
    get: (path: string) => stack.http.get(path).set('x-amzn-oidc-data', rootToken()),
    put: (path: string, body: object) => stack.http.put(path).set('x-amzn-oidc-data', rootToken()).send(body),
    post: (path: string, body: object) => stack.http.post(path).set('x-amzn-oidc-data', rootToken()).send(body),
    patch: (path: string, body: object) => stack.http.patch(path).set('x-amzn-oidc-data', rootToken()).send(body),
  };
  const settings = async () => (await stack.admin.get('/api/alb-auth/settings')).body;

  before(async () => {
    first = await enableJit(stack.admin);
    assertStatus(await stack.http.get('/api/me').set('x-amzn-oidc-data', rootToken()), 200);
    assertStatus(await stack.admin.patch(`/api/user-sync/directories/${first.directoryId}/users/root@example.com`, { groups: ['alb-usersync-admins'] }), 200);
    assertStatus(await asRoot.get('/api/user-sync/directories'), 200);
  });

  it('switching user sync to a new connector and directory: 422 with the reason; with carryOverAdmins the admin stays one', async () => {
    const second = await asRoot.post('/api/user-sync/connectors', { ...SIMPLE_CONNECTOR, name: 'Second', createDirectory: true });
    assertStatus(second, 201);
    const switched = { userSync: { enabled: true, connectorId: second.body.id }, accessGroups: [] };
    const refused = await asRoot.put('/api/alb-auth/settings', switched);
    assertError(refused, 422, 'CONFIRMATION_REQUIRED', 'would be root@example.com with the groups staff, none of them an admin group');
    assert.match(refused.body.message, /carryOverAdmins: true/);
    // Yours, and everyone's: root is the only admin.
    assert.equal(refused.body.warnings.length, 2);
    assert.match(refused.body.warnings[1], /no active admin would remain/);
    assert.equal((await settings()).userSync.connectorId, first.id, 'nothing saved');
    assert.equal((await stack.admin.get(`/api/user-sync/directories/${second.body.directoryId}/users`)).body.total, 0, 'nobody carried over');

    const carried = await asRoot.put('/api/alb-auth/settings', { ...switched, carryOverAdmins: true });
    assertStatus(carried, 200);
    assert.equal((await settings()).userSync.connectorId, second.body.id);
    // The next request signs in through the second connector, into its directory: still an admin.
    assertStatus(await asRoot.get('/api/user-sync/directories'), 200);
    const me = await stack.http.get('/api/me').set('x-amzn-oidc-data', rootToken());
    assert.equal(me.body.directory.id, second.body.directoryId);
    assert.deepEqual(me.body.groups, ['alb-usersync-admins', 'staff']);
    const audit = (await stack.admin.get('/api/user-sync/audit?type=config.changed&limit=5')).body.items;
    assert.ok(audit.some((event: { details: { action: string; admins?: string[] } }) => event.details.action === 'admins.carriedOver' && event.details.admins?.includes('root@example.com')));
  });

  it('access groups that would refuse the admin: 422 naming NO_APPLICATION_ACCESS, carrying over does not help, confirmLockout saves', async () => {
    const refused = await asRoot.put('/api/alb-auth/settings', { accessGroups: ['nobody-has-this'] });
    assertError(refused, 422, 'CONFIRMATION_REQUIRED', 'NO_APPLICATION_ACCESS');
    assertError(await asRoot.put('/api/alb-auth/settings', { accessGroups: ['nobody-has-this'], carryOverAdmins: true }), 422, 'CONFIRMATION_REQUIRED', 'even with the admins carried over');
    assert.deepEqual((await settings()).accessGroups, []);
    assertStatus(await asRoot.put('/api/alb-auth/settings', { accessGroups: ['nobody-has-this'], confirmLockout: true }), 200);
    assertError(await asRoot.get('/api/user-sync/directories'), 403, 'NO_APPLICATION_ACCESS');
    // The API token is not an ALB identity: it changes what it likes, and restores.
    assertStatus(await stack.admin.put('/api/alb-auth/settings', { accessGroups: [] }), 200);
    assertStatus(await asRoot.get('/api/user-sync/directories'), 200);
  });

  it('a change to the connector in use that would refuse the admin is 422 too; a change that keeps it passes', async () => {
    const connectorId = (await settings()).userSync.connectorId;
    assertError(await asRoot.patch(`/api/user-sync/connectors/${connectorId}`, { primaryKey: 'custom:uid' }), 422, 'CONFIRMATION_REQUIRED', 'PROVISIONING_REJECTED');
    assertStatus(await asRoot.patch(`/api/user-sync/connectors/${connectorId}`, { name: 'Second, renamed' }), 200);
    assert.equal((await stack.admin.get(`/api/user-sync/connectors/${connectorId}`)).body.primaryKey, 'sub');
  });

  it('the API token switching to where no admin is: 422, unless it carries the admins over; then the ALB admins stay admins', async () => {
    const third = await stack.admin.post('/api/user-sync/connectors', { ...SIMPLE_CONNECTOR, name: 'Third', createDirectory: true });
    assertStatus(third, 201);
    assertError(await stack.admin.put('/api/alb-auth/settings', { userSync: { enabled: true, connectorId: third.body.id } }), 422, 'CONFIRMATION_REQUIRED', 'no active admin would remain');
    assertStatus(await stack.admin.put('/api/alb-auth/settings', { userSync: { enabled: true, connectorId: third.body.id }, carryOverAdmins: true }), 200);
    assertStatus(await asRoot.get('/api/user-sync/directories'), 200);
    const copied = (await stack.admin.get(`/api/user-sync/directories/${third.body.directoryId}/users/root@example.com`)).body;
    assert.deepEqual(copied.memberships, [{ group: 'alb-usersync-admins', origin: 'manual' }, { group: 'staff', origin: third.body.id }]);
    assert.equal(copied.externalId, 'root-sub');
  });

  it('after a carry-over only the admins the login reaches count: the last one there is not removed', async () => {
    const connector = (await stack.admin.get(`/api/user-sync/connectors/${(await settings()).userSync.connectorId}`)).body;
    // root is an admin in three directories now, reachable only in the connector's.
    assertError(await stack.admin.patch(`/api/user-sync/directories/${connector.directoryId}/users/root@example.com`, { active: false }), 409, 'LAST_ADMIN');
    assertError(await stack.admin.delete(`/api/user-sync/directories/${connector.directoryId}/groups/alb-usersync-admins`), 409, 'LAST_ADMIN');
    // Elsewhere it is no longer an admin anyone signs in as.
    assertStatus(await stack.admin.patch(`/api/user-sync/directories/${first.directoryId}/users/root@example.com`, { active: false }), 200);
  });

  it('carries over only admins bound to a primary key: an unbound namesake is never made an admin', async () => {
    const current = (await settings()).userSync.connectorId;
    const currentDirectory = (await stack.admin.get(`/api/user-sync/connectors/${current}`)).body.directoryId;
    // An admin without a key (made in the directory by SCIM without externalId), and a target directory where that name is free.
    const scim = await stack.admin.post('/api/user-sync/scim-clients', { name: 'Keyless', directoryId: currentDirectory });
    const created = await stack.http.post('/scim/v2/Users').set('authorization', `Bearer ${scim.body.token}`).send({ userName: 'keyless@example.com' });
    assertStatus(created, 201);
    assertStatus(await stack.admin.patch(`/api/user-sync/directories/${currentDirectory}/users/keyless@example.com`, { groups: ['alb-usersync-admins'] }), 200);
    const fourth = await stack.admin.post('/api/user-sync/connectors', { ...SIMPLE_CONNECTOR, name: 'Fourth', createDirectory: true });
    assertStatus(await stack.admin.put('/api/alb-auth/settings', { userSync: { enabled: true, connectorId: fourth.body.id }, carryOverAdmins: true }), 200);
    const users = (await stack.admin.get(`/api/user-sync/directories/${fourth.body.directoryId}/users`)).body.items.map((user: { username: string }) => user.username);
    assert.deepEqual(users, ['root@example.com'], 'the keyless admin is not copied: a username alone would let whoever maps to it bind to it');
    // Whoever first maps to that name under the new connector is a user like any other.
    const stranger = await stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub: 'stranger-sub', email: 'keyless@example.com', name: 'Stranger' } }));
    assertStatus(stranger, 200);
    assert.deepEqual(stranger.body.groups, []);
  });

  it("an admin whose next login is an admin's through the claims (allowProtectedGroups) switches without a warning", async () => {
    const claims = await stack.admin.post('/api/user-sync/connectors', { ...SIMPLE_CONNECTOR, name: 'Claims', createDirectory: true, groups: { ...SIMPLE_CONNECTOR.groups, allowProtectedGroups: true } });
    assertStatus(claims, 201);
    const rootWithClaim = stack.signer.sign({ claims: { sub: 'root-sub', email: 'root@example.com', name: 'Root', groups: ['staff', 'alb-usersync-admins'] } });
    const put = await stack.http.put('/api/alb-auth/settings').set('x-amzn-oidc-data', rootWithClaim).send({ userSync: { enabled: true, connectorId: claims.body.id } });
    assertStatus(put, 200);
    assertStatus(await stack.http.get('/api/user-sync/directories').set('x-amzn-oidc-data', rootWithClaim), 200);
  });
});
