import { INestApplication } from '@nestjs/common';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { UserEntity } from '../../src/user-sync/store/user.entity';
import { assertError, assertStatus } from '../support/http';
import { ADMIN_TOKEN } from '../support/test-app';
import { useTestStack } from '../support/test-stack';
import { AdminClient, adminClient, enableJit, SIMPLE_CONNECTOR } from '../support/admin-client';

const JIT_CONNECTOR = {
  name: 'Cognito JIT',
  type: 'jit',
  enabled: true,
  primaryKey: 'sub',
  mappings: [
    {
      attribute: 'username',
      sources: ['upn', 'email'],
      transformations: [{ type: 'lowercase' }, { type: 'stripDomain' }],
      onNoMatch: 'keep',
      update: 'always',
    },
    { attribute: 'displayName', template: '{given_name} {family_name}' },
    { attribute: 'email', sources: ['email'] },
    {
      attribute: 'groups',
      sources: ['cognito:groups'],
      transformations: [{ type: 'regexReplace', pattern: '^idp-(.*)$', replacement: '$1' }],
      onNoMatch: 'ignore',
    },
    { attribute: 'attributes.department', sources: ['custom:department'] },
  ],
  groups: { alwaysAssign: ['confluence-users'], removeUnlisted: false, createMissing: true },
  users: { updateExisting: true, reactivateOnLogin: true },
};

describe('Admin API', () => {
  const stack = useTestStack();
  const { signer, keys } = stack;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let admin: AdminClient;

  before(() => {
    ({ app, http, admin } = stack);
  });

  describe('access', () => {
    it('refuses a request without credentials with 401 TOKEN_MISSING, naming both ways in', async () => {
      const response = await http.get('/api/user-sync/directories');
      assertError(response, 401, 'TOKEN_MISSING');
      assert.match(response.body.message, /Authorization: Bearer <ADMIN_API_TOKEN>, or sign in through the ALB as a user in alb-usersync-admins/);
    });

    it('refuses a wrong bearer token with 401 TOKEN_INVALID', async () => {
      assertError(await http.get('/api/user-sync/directories').set('authorization', 'Bearer nope'), 401, 'TOKEN_INVALID');
      assertError(await http.get('/api/user-sync/directories').set('authorization', `Bearer ${ADMIN_TOKEN}x`), 401, 'TOKEN_INVALID');
      assertError(await http.get('/api/user-sync/directories').set('authorization', 'Basic abc'), 401, 'TOKEN_INVALID');
    });

    it('lets an ALB user in ADMIN_GROUPS in, and refuses one outside them with 403 FORBIDDEN', async () => {
      await enableJit(admin, { name: 'Admins JIT', groups: { ...SIMPLE_CONNECTOR.groups, allowProtectedGroups: true } });
      const adminUser = signer.sign({ claims: { sub: 'admin-sub', email: 'boss@example.com', groups: ['alb-usersync-admins'] } });
      assertStatus(await http.get('/api/user-sync/directories').set('x-amzn-oidc-data', adminUser), 200);
      const created = await http.post('/api/user-sync/directories').set('x-amzn-oidc-data', adminUser).send({ name: 'By an ALB admin' });
      assertStatus(created, 201);
      const audit = await admin.get('/api/user-sync/audit?type=config.changed&limit=1');
      assert.equal(audit.body.items[0].actor, 'boss@example.com');
      const plainUser = signer.sign({ claims: { sub: 'user-sub', email: 'plain@example.com', groups: ['staff'] } });
      assertError(await http.get('/api/user-sync/directories').set('x-amzn-oidc-data', plainUser), 403, 'FORBIDDEN');
      // boss is an admin through the connector's grant only: with user sync off nobody would be (confirmed).
      assertError(await admin.put('/api/alb-auth/settings', { userSync: { enabled: false, connectorId: null } }), 422, 'CONFIRMATION_REQUIRED', 'no active admin would remain');
      assertStatus(await admin.put('/api/alb-auth/settings', { userSync: { enabled: false, connectorId: null }, confirmLockout: true }), 200);
    });

    it('refuses an invalid ALB token on an admin route with its code', async () => {
      assertError(await http.get('/api/alb-auth/settings').set('x-amzn-oidc-data', signer.sign({ expiresIn: -5 })), 401, 'TOKEN_EXPIRED');
    });
  });

  describe('directories', () => {
    it('creates, reads, updates, lists and deletes a directory', async () => {
      const created = await admin.post('/api/user-sync/directories', { name: 'Staff', description: 'people' });
      assertStatus(created, 201);
      assert.equal(created.body.name, 'Staff');
      assert.equal(created.body.active, true);
      assert.match(created.body.id, /^[0-9a-f-]{36}$/);
      const id = created.body.id;

      assert.equal((await admin.get(`/api/user-sync/directories/${id}`)).body.description, 'people');
      const patched = await admin.patch(`/api/user-sync/directories/${id}`, { active: false, position: 7 });
      assertStatus(patched, 200);
      assert.deepEqual([patched.body.active, patched.body.position], [false, 7]);
      const list = await admin.get('/api/user-sync/directories');
      assert.ok(list.body.items.some((item: { id: string }) => item.id === id));
      assert.equal(typeof list.body.total, 'number');
      assertStatus(await admin.delete(`/api/user-sync/directories/${id}`), 204);
      assertError(await admin.get(`/api/user-sync/directories/${id}`), 404, 'NOT_FOUND');
    });

    it('refuses a duplicate name, case-insensitively, with 409 CONFLICT', async () => {
      assertStatus(await admin.post('/api/user-sync/directories', { name: 'Partners' }), 201);
      assertError(await admin.post('/api/user-sync/directories', { name: 'PARTNERS' }), 409, 'CONFLICT');
    });

    it('refuses unknown fields and wrong types with 400 VALIDATION_FAILED naming them', async () => {
      assertError(await admin.post('/api/user-sync/directories', { name: 'X', colour: 'red' }), 400, 'VALIDATION_FAILED', 'colour');
      assertError(await admin.post('/api/user-sync/directories', { name: 42 }), 400, 'VALIDATION_FAILED', 'name');
      assertError(await admin.post('/api/user-sync/directories', {}), 400, 'VALIDATION_FAILED', 'name');
    });

    it('answers 404 NOT_FOUND for unknown and malformed ids', async () => {
      assertError(await admin.get(`/api/user-sync/directories/${randomUUID()}`), 404, 'NOT_FOUND');
      assertError(await admin.get('/api/user-sync/directories/not-a-uuid'), 404, 'NOT_FOUND');
      assertError(await admin.patch(`/api/user-sync/directories/${randomUUID()}`, { active: true }), 404, 'NOT_FOUND');
    });

    it('pages with limit and offset, and refuses a limit out of range', async () => {
      for (let i = 0; i < 5; i++) await admin.post('/api/user-sync/directories', { name: `Paged ${i}` });
      const page = await admin.get('/api/user-sync/directories?limit=2&offset=1');
      assertStatus(page, 200);
      assert.equal(page.body.items.length, 2);
      assert.ok(page.body.total >= 5);
      assertError(await admin.get('/api/user-sync/directories?limit=101'), 400, 'VALIDATION_FAILED', 'limit');
      assertError(await admin.get('/api/user-sync/directories?limit=0'), 400, 'VALIDATION_FAILED', 'limit');
      assertError(await admin.get('/api/user-sync/directories?offset=-1'), 400, 'VALIDATION_FAILED', 'offset');
    });
  });

  describe('connectors', () => {
    it('creates a connector with a new directory named after it', async () => {
      const created = await admin.post('/api/user-sync/connectors', { ...JIT_CONNECTOR, name: 'Confluence JIT', createDirectory: true });
      assertStatus(created, 201);
      assert.deepEqual(created.body.mappings, JIT_CONNECTOR.mappings);
      const directory = await admin.get(`/api/user-sync/directories/${created.body.directoryId}`);
      assertStatus(directory, 200);
      assert.equal(directory.body.name, 'Confluence JIT');
    });

    it('refuses a connector whose directory does not exist, or with neither directoryId nor createDirectory', async () => {
      assertError(await admin.post('/api/user-sync/connectors', { ...JIT_CONNECTOR, name: 'Orphan', directoryId: randomUUID() }), 404, 'NOT_FOUND');
      assertError(await admin.post('/api/user-sync/connectors', { ...JIT_CONNECTOR, name: 'Orphan' }), 400, 'VALIDATION_FAILED', 'directoryId');
    });

    it('refuses unknown fields, wrong types, unknown transformations and invalid regular expressions with the path', async () => {
      const directory = (await admin.post('/api/user-sync/directories', { name: 'For validation' })).body.id;
      const base = { ...JIT_CONNECTOR, name: 'Invalid', directoryId: directory };
      const withMapping = (mapping: object) => ({ ...base, mappings: [JIT_CONNECTOR.mappings[0], mapping] });
      assertError(await admin.post('/api/user-sync/connectors', { ...base, extra: 1 }), 400, 'VALIDATION_FAILED', 'extra');
      assertError(await admin.post('/api/user-sync/connectors', { ...base, enabled: 'yes' }), 400, 'VALIDATION_FAILED', 'enabled');
      assertError(
        await admin.post('/api/user-sync/connectors', withMapping({ attribute: 'email', sources: ['email'], colour: 1 })),
        400,
        'VALIDATION_FAILED',
        'mappings.1.colour',
      );
      assertError(
        await admin.post('/api/user-sync/connectors', withMapping({ attribute: 'email', sources: ['email'], transformations: [{ type: 'rot13' }] })),
        400,
        'VALIDATION_FAILED',
        'mappings[1].transformations[0]: unknown transformation type "rot13"',
      );
      assertError(
        await admin.post('/api/user-sync/connectors', withMapping({ attribute: 'email', sources: ['email'], transformations: [{ type: 'regexReplace', pattern: '(unclosed' }] })),
        400,
        'VALIDATION_FAILED',
        'mappings[1].transformations[0]: regexReplace: pattern is not a valid regular expression',
      );
      assertError(
        await admin.post('/api/user-sync/connectors', withMapping({ attribute: 'email', sources: ['email'], transformations: [{ type: 'regexReplace', pattern: '(a)\\1' }] })),
        400,
        'VALIDATION_FAILED',
        'mappings[1].transformations[0]',
      );
      assertError(
        await admin.post('/api/user-sync/connectors', withMapping({ attribute: 'email', sources: ['email'], transformations: [{ type: 'substring', start: 'x' }] })),
        400,
        'VALIDATION_FAILED',
        'option "start" must be a integer',
      );
      assertError(
        await admin.post('/api/user-sync/connectors', withMapping({ attribute: 'nickname', sources: ['x'] })),
        400,
        'VALIDATION_FAILED',
        'mappings.1.attribute',
      );
      const none = await admin.get('/api/user-sync/connectors?limit=100');
      assert.ok(!none.body.items.some((item: { name: string }) => item.name === 'Invalid'));
    });

    it('refuses a duplicate connector name with 409, and deleting a directory a connector uses', async () => {
      const created = await admin.post('/api/user-sync/connectors', { ...JIT_CONNECTOR, name: 'Dup', createDirectory: true });
      assertStatus(created, 201);
      assertError(await admin.post('/api/user-sync/connectors', { ...JIT_CONNECTOR, name: 'dup', directoryId: created.body.directoryId }), 409, 'CONFLICT');
      assertError(await admin.delete(`/api/user-sync/directories/${created.body.directoryId}`), 409, 'CONFLICT');
    });

    it('updates a connector and bumps its version', async () => {
      const created = await admin.post('/api/user-sync/connectors', { ...JIT_CONNECTOR, name: 'Patchable', createDirectory: true });
      const patched = await admin.patch(`/api/user-sync/connectors/${created.body.id}`, { enabled: false, groups: { alwaysAssign: ['x'] } });
      assertStatus(patched, 200);
      assert.equal(patched.body.enabled, false);
      assert.deepEqual(patched.body.groups, { alwaysAssign: ['x'], removeUnlisted: false, createMissing: true, allowProtectedGroups: false });
      assert.ok(patched.body.version > created.body.version);
      assertError(await admin.patch(`/api/user-sync/connectors/${created.body.id}`, { mappings: [{ attribute: 'email', sources: ['email'] }] }), 400, 'VALIDATION_FAILED', 'username');
    });

    it('exports a connector and imports it back', async () => {
      const created = await admin.post('/api/user-sync/connectors', { ...JIT_CONNECTOR, name: 'Exported', createDirectory: true });
      const exported = await admin.get(`/api/user-sync/connectors/${created.body.id}/export`);
      assertStatus(exported, 200);
      assert.equal(exported.body.id, undefined);
      assert.equal(exported.body.directoryId, undefined);
      const imported = await admin.post('/api/user-sync/connectors/import', { ...exported.body, name: 'Imported', directoryId: created.body.directoryId });
      assertStatus(imported, 201);
      const again = await admin.get(`/api/user-sync/connectors/${imported.body.id}/export`);
      assert.deepEqual({ ...again.body, name: 'Exported' }, exported.body);
    });
  });

  describe('settings', () => {
    it('answers the defaults, refuses an unknown connector with 404, and keeps a connector in use from deletion', async () => {
      const defaults = await admin.get('/api/alb-auth/settings');
      assertStatus(defaults, 200);
      assert.deepEqual(defaults.body, {
        usernameClaim: 'email',
        userSync: { enabled: false, connectorId: null },
        accessGroups: [],
        protectedGroups: ['alb-usersync-admins'],
        logout: { deleteSessionCookie: true, redirectUrl: null },
      });
      assertError(await admin.put('/api/alb-auth/settings', { userSync: { enabled: true, connectorId: randomUUID() } }), 404, 'NOT_FOUND');
      assertError(await admin.put('/api/alb-auth/settings', { logout: { redirectUrl: 'javascript:alert(1)' } }), 400, 'VALIDATION_FAILED', 'redirectUrl');
      const connector = await admin.post('/api/user-sync/connectors', { ...JIT_CONNECTOR, name: 'In use', createDirectory: true });
      const put = await admin.put('/api/alb-auth/settings', { userSync: { enabled: true, connectorId: connector.body.id }, accessGroups: ['confluence-users'] });
      assertStatus(put, 200);
      assert.deepEqual(put.body.userSync, { enabled: true, connectorId: connector.body.id });
      assert.deepEqual((await admin.get('/api/alb-auth/settings')).body.accessGroups, ['confluence-users']);
      assertError(await admin.delete(`/api/user-sync/connectors/${connector.body.id}`), 409, 'CONFLICT');
      assertError(await admin.delete(`/api/user-sync/directories/${connector.body.directoryId}`), 409, 'CONFLICT');
      assertStatus(await admin.put('/api/alb-auth/settings', { userSync: { enabled: false, connectorId: null } }), 200);
      assertStatus(await admin.delete(`/api/user-sync/connectors/${connector.body.id}`), 204);
    });
  });

  describe('logout', () => {
    it('expires the ALB session cookies and redirects, or answers 200', async () => {
      const plain = await http.get('/logout');
      assertStatus(plain, 200);
      const cookies = ([] as string[]).concat(plain.headers['set-cookie'] ?? []);
      assert.deepEqual(
        cookies.map((cookie) => cookie.split('=')[0]).sort(),
        ['AWSELBAuthSessionCookie', 'AWSELBAuthSessionCookie-0', 'AWSELBAuthSessionCookie-1', 'AWSELBAuthSessionCookie-2', 'AWSELBAuthSessionCookie-3'],
      );
      assert.ok(cookies.every((cookie) => /Expires=Thu, 01 Jan 1970/.test(cookie)));
      assertStatus(await admin.put('/api/alb-auth/settings', { logout: { deleteSessionCookie: false, redirectUrl: 'https://idp.example.com/logout' } }), 200);
      const redirected = await http.get('/logout');
      assertStatus(redirected, 302);
      assert.equal(redirected.headers.location, 'https://idp.example.com/logout');
      assert.equal(redirected.headers['set-cookie'], undefined);
      assertStatus(await admin.put('/api/alb-auth/settings', { logout: { deleteSessionCookie: true, redirectUrl: null } }), 200);
    });
  });

  describe('users and groups', () => {
    let directoryId: string;

    before(async () => {
      directoryId = (await admin.post('/api/user-sync/directories', { name: 'People' })).body.id;
      const users = app.get(DataSource).getRepository(UserEntity);
      for (let i = 0; i < 25; i++) {
        await users.insert({
          directoryId,
          username: `User${String(i).padStart(2, '0')}`,
          usernameKey: `user${String(i).padStart(2, '0')}`,
          displayName: `User Number ${i}`,
          email: `user${i}@example.com`,
          attributes: {},
        });
      }
    });

    it('lists users with search, limit and offset', async () => {
      const page = await admin.get(`/api/user-sync/directories/${directoryId}/users?limit=10&offset=20`);
      assertStatus(page, 200);
      assert.equal(page.body.total, 25);
      assert.deepEqual(page.body.items.map((user: { username: string }) => user.username), ['User20', 'User21', 'User22', 'User23', 'User24']);
      const search = await admin.get(`/api/user-sync/directories/${directoryId}/users?search=NUMBER 1`);
      assert.equal(search.body.total, 11);
      const literal = await admin.get(`/api/user-sync/directories/${directoryId}/users?search=%25`);
      assert.equal(literal.body.total, 0);
    });

    it('reads a user case-insensitively, sets manual groups and active, and deletes it', async () => {
      const user = await admin.get(`/api/user-sync/directories/${directoryId}/users/USER03`);
      assertStatus(user, 200);
      assert.equal(user.body.username, 'User03');
      const patched = await admin.patch(`/api/user-sync/directories/${directoryId}/users/user03`, { active: false, groups: ['Editors', 'Readers'] });
      assertStatus(patched, 200);
      assert.equal(patched.body.active, false);
      assert.deepEqual(patched.body.groups, ['Editors', 'Readers']);
      const replaced = await admin.patch(`/api/user-sync/directories/${directoryId}/users/user03`, { groups: ['readers'] });
      assert.deepEqual(replaced.body.groups, ['Readers']);
      const groups = await admin.get(`/api/user-sync/directories/${directoryId}/groups`);
      assert.deepEqual(groups.body.items.map((group: { name: string }) => group.name).sort(), ['Editors', 'Readers']);
      assertError(await admin.patch(`/api/user-sync/directories/${directoryId}/users/user03`, { username: 'x' }), 400, 'VALIDATION_FAILED', 'username');
      assertStatus(await admin.delete(`/api/user-sync/directories/${directoryId}/users/user03`), 204);
      assertError(await admin.get(`/api/user-sync/directories/${directoryId}/users/user03`), 404, 'NOT_FOUND');
    });

    it('creates, lists and deletes groups; a duplicate is 409', async () => {
      assertStatus(await admin.post(`/api/user-sync/directories/${directoryId}/groups`, { name: 'Ops' }), 201);
      assertError(await admin.post(`/api/user-sync/directories/${directoryId}/groups`, { name: 'OPS' }), 409, 'CONFLICT');
      assertStatus(await admin.delete(`/api/user-sync/directories/${directoryId}/groups/ops`), 204);
      assertError(await admin.delete(`/api/user-sync/directories/${directoryId}/groups/ops`), 404, 'NOT_FOUND');
      assertError(await admin.get(`/api/user-sync/directories/${randomUUID()}/groups`), 404, 'NOT_FOUND');
    });
  });

  describe('transformations and audit', () => {
    it('lists every built-in transformation with its options', async () => {
      const response = await admin.get('/api/user-sync/transformations');
      assertStatus(response, 200);
      const types = response.body.items.map((item: { type: string }) => item.type);
      for (const type of ['lowercase', 'uppercase', 'trim', 'replace', 'regexReplace', 'stripDomain', 'azureGuestUpnToEmail', 'prefix', 'suffix', 'substring', 'split', 'map', 'default', 'filter']) {
        assert.ok(types.includes(type), type);
      }
      const regex = response.body.items.find((item: { type: string }) => item.type === 'regexReplace');
      assert.ok(regex.options.some((option: { name: string; required: boolean }) => option.name === 'pattern' && option.required));
    });

    it('records every change as config.changed naming the actor, newest first', async () => {
      const before = (await admin.get('/api/user-sync/audit?type=config.changed&limit=1')).body.total;
      await admin.post('/api/user-sync/directories', { name: 'Audited' });
      const events = await admin.get('/api/user-sync/audit?type=config.changed&limit=5');
      assertStatus(events, 200);
      assert.equal(events.body.total, before + 1);
      assert.equal(events.body.items[0].actor, 'api-token');
      assert.equal(events.body.items[0].details.action, 'directory.created');
      assertError(await admin.get('/api/user-sync/audit?type=nope'), 400, 'VALIDATION_FAILED', 'type');
    });
  });
});

describe('Admin API without ADMIN_API_TOKEN', () => {
  const stack = useTestStack({}, { ADMIN_API_TOKEN: '' });

  it('says that no bearer token is configured, and how to get in instead', async () => {
    const bearer = await stack.http.get('/api/user-sync/directories').set('authorization', `Bearer ${ADMIN_TOKEN}`);
    assertError(bearer, 401, 'TOKEN_INVALID');
    assert.match(bearer.body.message, /No ADMIN_API_TOKEN is configured, so no bearer token is accepted: sign in through the ALB as a user in alb-usersync-admins \(in local mode: the emulator's Local Admin\)/);
    const none = await stack.http.get('/api/user-sync/directories');
    assertError(none, 401, 'TOKEN_MISSING');
    assert.match(none.body.message, /no ADMIN_API_TOKEN is configured/);
  });
});
