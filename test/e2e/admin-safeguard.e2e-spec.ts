import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { enableJit } from '../support/admin-client';
import { assertError, assertStatus } from '../support/http';
import { assertScimError, eqFilter, listed, patchOp, ScimCall, scimClient } from '../support/scim-client';
import { useTestStack } from '../support/test-stack';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The people who run the service: never swept away by cleanup, never the last one removed by any path. */
describe('Admins: cleanup spares them, and no path removes the last one', () => {
  const stack = useTestStack();
  let directoryId = '';
  let scim: ScimCall;
  const login = (sub: string, email: string, groups: string[] = ['staff']) =>
    stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub, email, name: email, groups } }));
  const users = () => `/api/user-sync/directories/${directoryId}/users`;
  const rules = () => `/api/user-sync/directories/${directoryId}/cleanup-rules`;
  const backdate = async (email: string, days: number) => {
    const at = new Date(Date.now() - days * DAY_MS).toISOString().replace('T', ' ').replace('Z', '');
    await stack.app.get(DataSource).query('UPDATE users SET last_login_at = ? WHERE username_key = ?', [at, email]);
  };
  const isAdmin = async (email: string) => (await stack.admin.get(`${users()}/${email}`)).body.active === true;

  before(async () => {
    ({ directoryId } = await enableJit(stack.admin));
    ({ scim } = await scimClient(stack.http, stack.admin, directoryId, 'IdP'));
    for (const email of ['root@example.com', 'ops@example.com', 'leaver@example.com']) assertStatus(await login(`sub-${email}`, email), 200);
    // Two admins made by hand; a leaver who is not one.
    for (const email of ['root@example.com', 'ops@example.com']) assertStatus(await stack.admin.patch(`${users()}/${email}`, { groups: ['alb-usersync-admins'] }), 200);
    for (const email of ['root@example.com', 'ops@example.com', 'leaver@example.com']) await backdate(email, 100);
  });

  it('cleanup spares members of protected groups: the preview counts them, the run leaves them active', async () => {
    const rule = await stack.admin.post(rules(), { name: 'Leavers', inactiveDays: 30 });
    assertStatus(rule, 201);
    const preview = await stack.admin.post(`${rules()}/${rule.body.id}/preview`, {});
    assertStatus(preview, 200);
    assert.deepEqual(preview.body.users.map((user: { username: string }) => user.username), ['leaver@example.com']);
    assert.equal(preview.body.sparedProtected, 2);
    assert.deepEqual(preview.body.warnings, []);
    const run = await stack.admin.post(`${rules()}/${rule.body.id}/run`, {});
    assertStatus(run, 200);
    assert.deepEqual(run.body.affected.map((user: { username: string }) => user.username), ['leaver@example.com']);
    assert.ok(await isAdmin('root@example.com'));
    assert.ok(await isAdmin('ops@example.com'));
  });

  it('a rule aimed at the admin group is refused unless it says includeProtected; then its preview names them, and its run stops before the last admin', async () => {
    assertError(await stack.admin.post(rules(), { name: 'Admins', inactiveDays: 30, onlyGroups: ['ALB-UserSync-Admins'] }), 400, 'VALIDATION_FAILED', 'protected group');
    const rule = await stack.admin.post(rules(), { name: 'Admins', inactiveDays: 30, onlyGroups: ['alb-usersync-admins'], includeProtected: true });
    assertStatus(rule, 201);
    const preview = await stack.admin.post(`${rules()}/${rule.body.id}/preview`, {});
    const named = preview.body.users.map((user: { username: string; protectedGroups: string[] }) => [user.username, user.protectedGroups]);
    assert.deepEqual(named.sort(), [
      ['ops@example.com', ['alb-usersync-admins']],
      ['root@example.com', ['alb-usersync-admins']],
    ]);
    assert.match(preview.body.warnings[0], /(ops@example\.com, root@example\.com|root@example\.com, ops@example\.com) hold a protected group/);
    assertError(await stack.admin.post(`${rules()}/${rule.body.id}/run`, {}), 409, 'LAST_ADMIN');
    assert.ok(await isAdmin('root@example.com'));
    assert.ok(await isAdmin('ops@example.com'));
    assertStatus(await stack.admin.delete(`${rules()}/${rule.body.id}`), 204);
  });

  it('the admin API removes an admin while another remains, never the last one (deactivate, take the group, delete)', async () => {
    assertStatus(await stack.admin.patch(`${users()}/ops@example.com`, { active: false }), 200);
    assertError(await stack.admin.patch(`${users()}/root@example.com`, { active: false }), 409, 'LAST_ADMIN');
    assertError(await stack.admin.patch(`${users()}/root@example.com`, { groups: ['staff'] }), 409, 'LAST_ADMIN');
    assertError(await stack.admin.delete(`${users()}/root@example.com`), 409, 'LAST_ADMIN');
    assertStatus(await stack.admin.patch(`${users()}/root@example.com`, { groups: ['alb-usersync-admins', 'staff'] }), 200);
    assert.ok(await isAdmin('root@example.com'));
    assertStatus(await stack.admin.patch(`${users()}/ops@example.com`, { active: true }), 200);
  });

  it('SCIM deactivates or deletes an admin while another remains, never the last one', async () => {
    const idOf = async (email: string) => listed<{ id: string }>(await scim('get', `/Users?${eqFilter('userName', email)}`), 1)[0].id;
    assertStatus(await scim('patch', `/Users/${await idOf('ops@example.com')}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })), 200);
    assertScimError(await scim('patch', `/Users/${await idOf('root@example.com')}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })), 409);
    assertScimError(await scim('delete', `/Users/${await idOf('root@example.com')}`), 409);
    assert.ok(await isAdmin('root@example.com'));
    assertStatus(await stack.admin.patch(`${users()}/ops@example.com`, { active: true }), 200);
  });

  it('the directory the login reaches is not deactivated while it holds every admin; with user sync off, nor is any directory holding them all deleted', async () => {
    assertError(await stack.admin.patch(`/api/user-sync/directories/${directoryId}`, { active: false }), 409, 'LAST_ADMIN');
    // User sync off: every active directory is searched. The connector moves elsewhere.
    const connectorId = (await stack.admin.get('/api/alb-auth/settings')).body.userSync.connectorId;
    assertStatus(await stack.admin.put('/api/alb-auth/settings', { userSync: { enabled: false, connectorId: null } }), 200);
    const other = await stack.admin.post('/api/user-sync/directories', { name: 'Elsewhere' });
    assertStatus(other, 201);
    assertStatus(await stack.admin.patch(`/api/user-sync/connectors/${connectorId}`, { directoryId: other.body.id }), 200);
    assertError(await stack.admin.patch(`/api/user-sync/directories/${directoryId}`, { active: false }), 409, 'LAST_ADMIN');
    assertError(await stack.admin.delete(`/api/user-sync/directories/${directoryId}`), 409, 'LAST_ADMIN');
    assert.ok(await isAdmin('root@example.com'));
    // An admin in the other directory: now the first may go.
    const { scim: elsewhere } = await scimClient(stack.http, stack.admin, other.body.id, 'Elsewhere IdP');
    assertStatus(await elsewhere('post', '/Users', { userName: 'new-admin@example.com', externalId: 'sub-new-admin' }), 201);
    assertStatus(await stack.admin.patch(`/api/user-sync/directories/${other.body.id}/users/new-admin@example.com`, { groups: ['alb-usersync-admins'] }), 200);
    assertStatus(await stack.admin.delete(`/api/user-sync/directories/${directoryId}`), 204);
  });

  it('deleting the admin group, where it would leave no admin, is refused too', async () => {
    const directories = (await stack.admin.get('/api/user-sync/directories?limit=100')).body.items as Array<{ id: string; name: string }>;
    const elsewhere = directories.find((directory) => directory.name === 'Elsewhere')!.id;
    assertError(await stack.admin.delete(`/api/user-sync/directories/${elsewhere}/groups/alb-usersync-admins`), 409, 'LAST_ADMIN');
  });
});
