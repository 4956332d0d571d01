import { Controller, Get, INestApplication } from '@nestjs/common';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it, mock } from 'node:test';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CurrentUser } from '../../src/alb-auth/decorators/current-user.decorator';
import { RequireGroups } from '../../src/alb-auth/decorators/require-groups.decorator';
import { AlbPrincipal } from '../../src/alb-auth/alb-principal';
import { UserEntity } from '../../src/user-sync/store/user.entity';
import { ConfigSnapshotService } from '../../src/user-sync/config/config-snapshot.service';
import { AdminClient, adminClient, enableJit } from '../support/admin-client';
import {  } from '../support/alb-test-signer';
import { assertError, assertStatus } from '../support/http';
import { useTestStack } from '../support/test-stack';

@Controller('api/probe')
class ProbeController {
  @Get('editors')
  @RequireGroups('editors')
  editors(@CurrentUser() user: AlbPrincipal) {
    return { username: user.username };
  }
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

describe('Just-in-time provisioning', () => {
  const stack = useTestStack({ controllers: [ProbeController] });
  const { signer, keys } = stack;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let admin: AdminClient;
  const me = (claims: Record<string, unknown>) => http.get('/api/me').set('x-amzn-oidc-data', signer.sign({ claims }));
  const users = async (directoryId: string) => (await admin.get(`/api/user-sync/directories/${directoryId}/users?limit=100`)).body;
  const auditOf = async (type: string, username?: string) =>
    (await admin.get(`/api/user-sync/audit?type=${type}${username ? `&username=${encodeURIComponent(username)}` : ''}&limit=100`)).body.items;

  before(() => {
    ({ app, http, admin } = stack);
  });

  it("runs the seed guide's scenario end to end", async () => {
    const connector = await admin.post('/api/user-sync/connectors', {
      name: unique('Seed JIT'),
      createDirectory: true,
      mappings: [
        { attribute: 'username', sources: ['upn'], transformations: [{ type: 'stripDomain' }] },
        { attribute: 'displayName', sources: ['name'] },
        { attribute: 'email', sources: ['email'] },
        { attribute: 'groups', sources: ['groups'] },
      ],
      groups: { alwaysAssign: ['confluence-users'] },
    });
    assertStatus(connector, 201);
    assertStatus(await admin.put('/api/alb-auth/settings', { userSync: { enabled: true, connectorId: connector.body.id }, accessGroups: ['confluence-users'] }), 200);

    const response = await me({ sub: 'seed-1', upn: 'a.example@domain.com', name: 'A Example', email: 'a.example@domain.com' });
    assertStatus(response, 200);
    assert.equal(response.body.username, 'a.example');
    assert.equal(response.body.displayName, 'A Example');
    assert.equal(response.body.email, 'a.example@domain.com');
    assert.equal(response.body.active, true);
    assert.deepEqual(response.body.groups, ['confluence-users']);
    assert.deepEqual(response.body.directory, { id: connector.body.directoryId, name: connector.body.name });

    // Without always-assign, a user whose groups are not access groups is refused, but still provisioned.
    assertStatus(await admin.patch(`/api/user-sync/connectors/${connector.body.id}`, { groups: { alwaysAssign: [] } }), 200);
    assertError(await me({ sub: 'seed-2', upn: 'b.example@domain.com', name: 'B', email: 'b@domain.com', groups: ['other'] }), 403, 'NO_APPLICATION_ACCESS');
    const stored = await admin.get(`/api/user-sync/directories/${connector.body.directoryId}/users/b.example`);
    assertStatus(stored, 200);
    assert.deepEqual(stored.body.groups, ['other']);
    const refused = await auditOf('login.refused', 'b.example');
    assert.equal(refused[0].details.code, 'NO_APPLICATION_ACCESS');
    // The same token again and again: from its third request the token and the refusal are both
    // remembered, and GET /api/me answers without waiting on anything, the same refusal each time.
    const token = signer.sign({ claims: { sub: 'seed-3', upn: 'c.example@domain.com', name: 'C', email: 'c@domain.com', groups: ['other'] } });
    for (let i = 0; i < 4; i++) assertError(await http.get('/api/me').set('x-amzn-oidc-data', token), 403, 'NO_APPLICATION_ACCESS');
  });

  describe('with a JIT connector', () => {
    let connector: { id: string; directoryId: string };
    beforeEach(async () => {
      connector = await enableJit(admin, { name: unique('JIT') });
    });

    it('creates a user once, and a repeated login with unchanged claims writes nothing', async () => {
      const claims = { sub: unique('sub'), email: 'Repeat@Example.com', name: 'Re Peat', groups: ['g1', 'g2'] };
      assertStatus(await me(claims), 200);
      let writes = 0;
      let reads = 0;
      const dataSource = app.get(DataSource);
      dataSource.subscribers.push({
        beforeQuery: (event) => {
          if (/^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(event.query)) writes++;
          else if (/^\s*SELECT\b/i.test(event.query)) reads++;
        },
      });
      // Drop this instance's caches so the second login goes to the database.
      app.get(ConfigSnapshotService).invalidate();
      const again = await me(claims);
      assertStatus(again, 200);
      assert.deepEqual(again.body.groups, ['g1', 'g2']);
      assert.ok(reads > 0, 'the second login read the database');
      assert.equal(writes, 0, 'the second login wrote nothing');
      const cached = await me(claims);
      assertStatus(cached, 200);
      dataSource.subscribers.pop();
      const list = await users(connector.directoryId);
      assert.equal(list.total, 1);
      assert.equal(list.items[0].username, 'repeat@example.com');
      assert.equal((await auditOf('user.created', 'repeat@example.com')).length, 1);
    });

    it('serves 20 concurrent first logins of one new user with one user row and twenty 200s', async () => {
      const claims = { sub: unique('sub'), email: 'crowd@example.com', name: 'Crowd', groups: ['a', 'b', 'c'] };
      const responses = await Promise.all(Array.from({ length: 20 }, () => me(claims)));
      assert.deepEqual(responses.map((response) => response.status), Array(20).fill(200));
      const list = await users(connector.directoryId);
      assert.equal(list.total, 1);
      assert.deepEqual(list.items[0].groups, ['a', 'b', 'c']);
    });

    it('refuses creation without a required attribute, naming it, and creates nothing', async () => {
      assertError(await me({ sub: unique('sub'), email: undefined, name: 'No Mail', username: undefined }), 403, 'PROVISIONING_REJECTED', 'username');
      const noName = await admin.patch(`/api/user-sync/connectors/${connector.id}`, {
        mappings: [
          { attribute: 'username', sources: ['email'] },
          { attribute: 'displayName', sources: ['name'] },
          { attribute: 'email', sources: ['email'] },
        ],
      });
      assertStatus(noName, 200);
      assertError(await me({ sub: unique('sub'), email: 'nameless@example.com' }), 403, 'PROVISIONING_REJECTED', 'displayName');
      assert.equal((await users(connector.directoryId)).total, 0);
      const refused = await auditOf('login.refused');
      assert.equal(refused[0].details.code, 'PROVISIONING_REJECTED');
    });

    it('refuses a login when a mapping with onNoMatch reject does not match', async () => {
      await admin.patch(`/api/user-sync/connectors/${connector.id}`, {
        mappings: [
          { attribute: 'username', sources: ['email'], transformations: [{ type: 'regexReplace', pattern: '^(.*)@corp\\.example$', replacement: '$1' }], onNoMatch: 'reject' },
          { attribute: 'displayName', sources: ['name', 'email'] },
          { attribute: 'email', sources: ['email'] },
        ],
      });
      assertStatus(await me({ sub: unique('sub'), email: 'ok@corp.example' }), 200);
      assertError(await me({ sub: unique('sub'), email: 'intruder@elsewhere.example' }), 403, 'PROVISIONING_REJECTED');
      assert.deepEqual((await users(connector.directoryId)).items.map((user: { username: string }) => user.username), ['ok']);
    });

    it('updates changed attributes, but not those mapped onCreate', async () => {
      await admin.patch(`/api/user-sync/connectors/${connector.id}`, {
        mappings: [
          { attribute: 'username', sources: ['email'] },
          { attribute: 'displayName', sources: ['name'] },
          { attribute: 'email', sources: ['email'] },
          { attribute: 'attributes.department', sources: ['custom:department'] },
          { attribute: 'attributes.hired', sources: ['hired'], update: 'onCreate' },
        ],
      });
      const sub = unique('sub');
      assertStatus(await me({ sub, email: 'upd@example.com', name: 'Old Name', 'custom:department': 'Sales', hired: '2020' }), 200);
      const updated = await me({ sub, email: 'upd@example.com', name: 'New Name', 'custom:department': 'R&D', hired: '2024' });
      assertStatus(updated, 200);
      assert.equal(updated.body.displayName, 'New Name');
      assert.deepEqual(updated.body.attributes, { department: 'R&D', hired: '2020' });
      const events = await auditOf('user.updated', 'upd@example.com');
      assert.deepEqual(events[0].details.fields.sort(), ['attributes.department', 'displayName']);
    });

    it('renames a user whose primary key is known, and refuses a rename onto a taken username', async () => {
      const sub = unique('sub');
      assertStatus(await me({ sub, email: 'before@example.com', name: 'R' }), 200);
      const renamed = await me({ sub, email: 'after@example.com', name: 'R' });
      assertStatus(renamed, 200);
      assert.equal(renamed.body.username, 'after@example.com');
      assert.equal((await users(connector.directoryId)).total, 1);
      assert.deepEqual((await auditOf('user.renamed', 'after@example.com'))[0].details, { from: 'before@example.com', to: 'after@example.com' });

      assertStatus(await me({ sub: unique('sub'), email: 'taken@example.com', name: 'T' }), 200);
      assertError(await me({ sub, email: 'taken@example.com', name: 'R' }), 409, 'CONFLICT');
      const names = (await users(connector.directoryId)).items.map((user: { username: string }) => user.username).sort();
      assert.deepEqual(names, ['after@example.com', 'taken@example.com']);
    });

    it('refuses a deactivated user, or reactivates them when the connector says so', async () => {
      const sub = unique('sub');
      assertStatus(await me({ sub, email: 'sleepy@example.com', name: 'S' }), 200);
      assertStatus(await admin.patch(`/api/user-sync/directories/${connector.directoryId}/users/sleepy@example.com`, { active: false }), 200);
      assertError(await me({ sub, email: 'sleepy@example.com', name: 'S' }), 403, 'USER_INACTIVE');
      await admin.patch(`/api/user-sync/connectors/${connector.id}`, { users: { reactivateOnLogin: true } });
      const back = await me({ sub, email: 'sleepy@example.com', name: 'S' });
      assertStatus(back, 200);
      assert.equal(back.body.active, true);
      assert.equal((await auditOf('user.reactivated', 'sleepy@example.com')).length, 1);
    });

    it('keeps manual memberships, removes only its own grants, and only when the groups claim is present', async () => {
      const sub = unique('sub');
      const login = (groups?: string[]) => me({ sub, email: 'member@example.com', name: 'M', groups });
      assert.deepEqual((await login(['dev', 'ops'])).body.groups, ['dev', 'ops']);
      await admin.patch(`/api/user-sync/directories/${connector.directoryId}/users/member@example.com`, { groups: ['manual', 'dev'] });
      assert.deepEqual((await login(['ops'])).body.groups, ['dev', 'manual', 'ops']);
      assert.deepEqual((await login(undefined)).body.groups, ['dev', 'manual', 'ops']);
      assert.deepEqual((await login([])).body.groups, ['dev', 'manual']);
      const changes = await auditOf('groups.changed', 'member@example.com');
      assert.deepEqual(changes[0].details, { added: [], removed: ['ops'] });
    });

    it('refuses a route with @RequireGroups to a user outside the groups', async () => {
      assertError(await http.get('/api/probe/editors').set('x-amzn-oidc-data', signer.sign({ claims: { sub: unique('s'), email: 'r@example.com', groups: ['readers'] } })), 403, 'FORBIDDEN');
      const ok = await http.get('/api/probe/editors').set('x-amzn-oidc-data', signer.sign({ claims: { sub: unique('s'), email: 'e@example.com', groups: ['Editors'] } }));
      assertStatus(ok, 200);
      assert.equal(ok.body.username, 'e@example.com');
    });

    it('previews a login without writing anything', async () => {
      await admin.patch(`/api/user-sync/connectors/${connector.id}`, {
        mappings: [
          { attribute: 'username', sources: ['upn', 'email'], transformations: [{ type: 'stripDomain' }] },
          { attribute: 'displayName', sources: ['name'] },
          { attribute: 'email', sources: ['email'] },
        ],
        groups: { alwaysAssign: ['confluence-users'] },
      });
      const before = (await users(connector.directoryId)).total;
      const preview = await admin.post(`/api/user-sync/connectors/${connector.id}/preview`, {
        claims: { sub: 'p-1', upn: 'a.example@domain.com', name: 'A Example', email: 'a@domain.com' },
      });
      assertStatus(preview, 200);
      assert.equal(preview.body.user.username, 'a.example');
      assert.equal(preview.body.decision, 'create');
      assert.equal(preview.body.access, true);
      assert.deepEqual(preview.body.groups, ['confluence-users']);
      const fallback = await admin.post(`/api/user-sync/connectors/${connector.id}/preview`, { claims: { sub: 'p-2', email: 'x@domain.com', name: 'X' } });
      assert.ok(fallback.body.warnings.some((warning: string) => warning.includes('upn missing, used email')), JSON.stringify(fallback.body.warnings));
      const refused = await admin.post(`/api/user-sync/connectors/${connector.id}/preview`, { claims: { sub: 'p-3', upn: 'nomail@domain.com' } });
      assert.equal(refused.body.decision, 'refuse');
      assert.equal(refused.body.reason.code, 'PROVISIONING_REJECTED');
      assert.equal((await users(connector.directoryId)).total, before);
      assertError(await admin.post(`/api/user-sync/connectors/${connector.id}/preview`, { claims: 'nope' }), 400, 'VALIDATION_FAILED', 'claims');
    });
  });

  describe('with user sync off', () => {
    it('lets in only users that exist in an active directory, case-insensitively', async () => {
      const directory = (await admin.post('/api/user-sync/directories', { name: unique('Existing') })).body;
      assertStatus(await admin.put('/api/alb-auth/settings', { userSync: { enabled: false, connectorId: null }, accessGroups: [], usernameClaim: 'email' }), 200);
      await app.get(DataSource).getRepository(UserEntity).insert({
        directoryId: directory.id,
        username: 'Known@Example.com',
        usernameKey: 'known@example.com',
        displayName: 'Known',
        email: 'known@example.com',
        attributes: {},
      });
      const ok = await me({ sub: unique('s'), email: 'KNOWN@example.com' });
      assertStatus(ok, 200);
      assert.equal(ok.body.username, 'Known@Example.com');
      assertError(await me({ sub: unique('s'), email: 'stranger@example.com' }), 403, 'USER_NOT_FOUND');
      assertStatus(await admin.patch(`/api/user-sync/directories/${directory.id}/users/known@example.com`, { active: false }), 200);
      assertError(await me({ sub: unique('s'), email: 'known@example.com' }), 403, 'USER_INACTIVE');
      assertStatus(await admin.patch(`/api/user-sync/directories/${directory.id}/users/known@example.com`, { active: true }), 200);
      assertStatus(await admin.patch(`/api/user-sync/directories/${directory.id}`, { active: false }), 200);
      assertError(await me({ sub: unique('s'), email: 'known@example.com' }), 403, 'USER_NOT_FOUND');
    });
  });
});

describe('lastLoginAt is written at most once per lastLoginIntervalMs', () => {
  const stack = useTestStack({ userSync: { lastLoginIntervalMs: 60_000 } });
  const lastLogin = async (directoryId: string) =>
    (await stack.admin.get(`/api/user-sync/directories/${directoryId}/users?limit=1`)).body.items[0].lastLoginAt as string;

  it('keeps it within the interval, and moves it once the interval has passed', async () => {
    const connector = await enableJit(stack.admin, { name: unique('Last login') });
    const claims = { sub: unique('sub'), email: 'last@example.com', name: 'Last' };
    const login = () => stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims }));
    assertStatus(await login(), 200);
    const first = await lastLogin(connector.directoryId);
    assert.ok(first);
    // Caches dropped each time, so each login reaches the database.
    stack.app.get(ConfigSnapshotService).invalidate();
    assertStatus(await login(), 200);
    assert.equal(await lastLogin(connector.directoryId), first, 'within the interval: not written');
    // The clock moved past the interval, not waited for.
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 61_000 });
    try {
      stack.app.get(ConfigSnapshotService).invalidate();
      assertStatus(await login(), 200);
    } finally {
      mock.timers.reset();
    }
    assert.ok(new Date(await lastLogin(connector.directoryId)).getTime() > new Date(first).getTime(), 'after the interval: written again');
  });
});
