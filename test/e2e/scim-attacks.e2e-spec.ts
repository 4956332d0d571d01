import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enableJit } from '../support/admin-client';
import { assertError, assertStatus } from '../support/http';
import { assertScimError, eqFilter, GROUP_SCHEMA, listed, patchOp, ScimCall, scimClient, USER_SCHEMA } from '../support/scim-client';
import { useTestStack } from '../support/test-stack';

/** One SCIM client's bearer token, in an attacker's hands: what it must not be able to do. */
describe('SCIM: what a client token cannot do', () => {
  const stack = useTestStack();
  let directoryId = '';
  let scim: ScimCall;
  const login = (sub: string, email: string, groups: string[] = []) => stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub, email, name: email, groups } }));
  const asAdmin = (path: string) => stack.http.get(path).set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub: 'admin-sub', email: 'root@example.com', name: 'Root' } }));
  const idOf = async (userName: string) => listed<{ id: string }>(await scim('get', `/Users?${eqFilter('userName', userName)}`), 1)[0].id;

  before(async () => {
    ({ directoryId } = await enableJit(stack.admin, {}, { protectedGroups: ['auditors'] }));
    ({ scim } = await scimClient(stack.http, stack.admin, directoryId, 'Tenant'));
    // An admin made by hand: the first login, then the admin group granted through the admin API.
    assertStatus(await login('admin-sub', 'root@example.com'), 200);
    assertStatus(await stack.admin.patch(`/api/user-sync/directories/${directoryId}/users/root@example.com`, { groups: ['alb-usersync-admins', 'helpdesk'] }), 200);
    assertStatus(await asAdmin('/api/user-sync/directories'), 200);
  });

  describe('the binding of a user to its primary key (externalId) never changes', () => {
    for (const [name, change] of [
      ['PATCH replace externalId', (id: string) => scim('patch', `/Users/${id}`, patchOp({ op: 'replace', path: 'externalId', value: 'attacker-sub' }))],
      ['PATCH Replace with the schema-qualified path', (id: string) => scim('patch', `/Users/${id}`, patchOp({ op: 'Replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:externalId', value: 'attacker-sub' }))],
      ['PATCH path-less replace', (id: string) => scim('patch', `/Users/${id}`, patchOp({ op: 'replace', value: { externalId: 'attacker-sub' } }))],
      ['PATCH remove externalId', (id: string) => scim('patch', `/Users/${id}`, patchOp({ op: 'remove', path: 'externalId' }))],
      ['PUT with another externalId', (id: string) => scim('put', `/Users/${id}`, { schemas: [USER_SCHEMA], userName: 'root@example.com', externalId: 'attacker-sub', active: true })],
    ] as const) {
      it(`${name}: 400 mutability, and the admin stays the admin`, async () => {
        const id = await idOf('root@example.com');
        assertScimError(await change(id), 400, 'mutability');
        const stored = (await stack.admin.get(`/api/user-sync/directories/${directoryId}/users/root@example.com`)).body;
        assert.deepEqual(stored.groups, ['alb-usersync-admins', 'helpdesk']);
        // The attacker's login with that sub is someone new, without the admin group; the admin is still the admin.
        const attacker = await login('attacker-sub', 'mallory@example.com');
        assertStatus(attacker, 200);
        assert.equal(attacker.body.username, 'mallory@example.com');
        assert.deepEqual(attacker.body.groups, []);
        assertError(await stack.http.get('/api/user-sync/directories').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub: 'attacker-sub', email: 'mallory@example.com' } })), 403, 'FORBIDDEN');
        const admin = await login('admin-sub', 'root@example.com');
        assert.equal(admin.body.username, 'root@example.com');
        assertStatus(await asAdmin('/api/user-sync/directories'), 200);
      });
    }

    it('repeating the same externalId is fine; SCIM cannot bind a user that has none (its first login does)', async () => {
      const id = await idOf('root@example.com');
      assertStatus(await scim('patch', `/Users/${id}`, patchOp({ op: 'replace', value: { externalId: 'admin-sub', displayName: 'Root' } })), 200);
      const unbound = await scim('post', '/Users', { schemas: [USER_SCHEMA], userName: 'unbound@example.com', active: true });
      assertStatus(unbound, 201);
      assert.equal(unbound.body.externalId, undefined);
      assertScimError(await scim('patch', `/Users/${unbound.body.id}`, patchOp({ op: 'add', path: 'externalId', value: 'late-sub' })), 400, 'mutability');
      assertScimError(await scim('put', `/Users/${unbound.body.id}`, { userName: 'unbound@example.com', externalId: 'late-sub' }), 400, 'mutability');
      // Until its first login binds it by userName, a rename would choose who binds to it: refused.
      assertScimError(await scim('patch', `/Users/${unbound.body.id}`, patchOp({ op: 'replace', path: 'userName', value: 'eve@example.com' })), 400, 'mutability');
      assertScimError(await scim('put', `/Users/${unbound.body.id}`, { userName: 'eve@example.com' }), 400, 'mutability');
      assertStatus(await scim('patch', `/Users/${unbound.body.id}`, patchOp({ op: 'replace', path: 'userName', value: 'Unbound@Example.com' })), 200);
      const first = await login('late-sub', 'unbound@example.com');
      assertStatus(first, 200);
      assert.equal((await scim('get', `/Users/${unbound.body.id}`)).body.externalId, 'late-sub', 'bound by its first login');
    });
  });

  describe('protected groups (the admin groups and settings protectedGroups) are out of reach', () => {
    let adminGroupId = '';
    before(async () => {
      const groups = (await stack.admin.get(`/api/user-sync/directories/${directoryId}/groups?limit=100`)).body.items as Array<{ id: string; name: string }>;
      adminGroupId = groups.find((group) => group.name === 'alb-usersync-admins')!.id;
    });

    it('not listed, not readable, not changeable: 404 as if absent', async () => {
      const all = (await scim('get', '/Groups')).body.Resources.map((group: { displayName: string }) => group.displayName);
      assert.ok(all.includes('helpdesk'));
      assert.ok(!all.includes('alb-usersync-admins'));
      listed(await scim('get', `/Groups?${eqFilter('displayName', 'ALB-USERSYNC-ADMINS')}`), 0);
      assertScimError(await scim('get', `/Groups/${adminGroupId}`), 404);
      assertScimError(await scim('patch', `/Groups/${adminGroupId}`, patchOp({ op: 'replace', path: 'displayName', value: 'old-admins' })), 404);
      assertScimError(await scim('put', `/Groups/${adminGroupId}`, { displayName: 'old-admins', members: [] }), 404);
      assertScimError(await scim('patch', `/Groups/${adminGroupId}`, patchOp({ op: 'remove', path: 'members' })), 404);
      assertScimError(await scim('delete', `/Groups/${adminGroupId}`), 404);
      assertStatus(await asAdmin('/api/user-sync/directories'), 200);
    });

    it('no group is renamed to, and none created as, a protected name (any case or normalization)', async () => {
      const helpdesk = listed<{ id: string }>(await scim('get', `/Groups?${eqFilter('displayName', 'helpdesk')}`), 1)[0];
      for (const name of ['alb-usersync-admins', 'ALB-UserSync-Admins', 'Auditors']) {
        assertScimError(await scim('patch', `/Groups/${helpdesk.id}`, patchOp({ op: 'replace', path: 'displayName', value: name })), 403);
        assertScimError(await scim('patch', `/Groups/${helpdesk.id}`, patchOp({ op: 'Replace', value: { id: helpdesk.id, displayName: name } })), 403);
        assertScimError(await scim('put', `/Groups/${helpdesk.id}`, { schemas: [GROUP_SCHEMA], displayName: name }), 403);
        assertScimError(await scim('post', '/Groups', { schemas: [GROUP_SCHEMA], displayName: name }), 403);
      }
      const groups = (await stack.admin.get(`/api/user-sync/directories/${directoryId}/groups?limit=100`)).body.items.map((group: { name: string }) => group.name);
      assert.ok(groups.includes('helpdesk') && groups.includes('alb-usersync-admins'));
      assert.ok(!groups.includes('Auditors') && !groups.includes('auditors'));
    });
  });

  describe('a deleted directory takes its SCIM clients with it', () => {
    it('the token stops working, and nothing is written under the deleted directory', async () => {
      const directory = await stack.admin.post('/api/user-sync/directories', { name: 'Short-lived' });
      assertStatus(directory, 201);
      const { scim: doomed, id: clientId } = await scimClient(stack.http, stack.admin, directory.body.id, 'Doomed');
      assertStatus(await doomed('post', '/Users', { userName: 'before@example.com', externalId: 'before' }), 201);
      assertStatus(await stack.admin.delete(`/api/user-sync/directories/${directory.body.id}`), 204);
      assertScimError(await doomed('get', '/Users'), 401);
      assertScimError(await doomed('post', '/Users', { userName: 'after@example.com', externalId: 'after' }), 401);
      assertScimError(await doomed('post', '/Groups', { displayName: 'after' }), 401);
      const clients = (await stack.admin.get('/api/user-sync/scim-clients')).body.items.map((client: { id: string }) => client.id);
      assert.ok(!clients.includes(clientId));
      const audit = (await stack.admin.get('/api/user-sync/audit?type=config.changed&limit=5')).body.items;
      const deleted = audit.find((event: { details: { action: string } }) => event.details.action === 'directory.deleted');
      assert.deepEqual(deleted.details.scimClientsRevoked, [clientId]);
    });
  });
});
