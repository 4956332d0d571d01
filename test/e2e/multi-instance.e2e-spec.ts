import { INestApplication } from '@nestjs/common';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { AdminClient, adminClient, enableJit } from '../support/admin-client';
import { AlbTestSigner } from '../support/alb-test-signer';
import { assertError, assertStatus } from '../support/http';
import { useTwoInstances } from '../support/two-instances';

/** Two service instances on one database: MySQL/MariaDB when the suite runs on it, else one SQLite file. */
describe('Two instances sharing one database', () => {
  const instances = useTwoInstances();
  let first: INestApplication;
  let second: INestApplication;
  let httpA: ReturnType<typeof request>;
  let httpB: ReturnType<typeof request>;
  let admin: AdminClient;
  let signer: AlbTestSigner;

  before(() => {
    ({ first, second, signer } = instances);
    httpA = request(first.getHttpServer());
    httpB = request(second.getHttpServer());
    admin = adminClient(httpA);
  });

  const me = (http: ReturnType<typeof request>, claims: Record<string, unknown>) =>
    http.get('/api/me').set('x-amzn-oidc-data', signer.sign({ claims }));

  it('creates exactly one user for 20 concurrent first logins split across both instances', async () => {
    const connector = await enableJit(admin, { name: 'Shared JIT' });
    const claims = { sub: 'shared-sub', email: 'shared@example.com', name: 'Shared', groups: ['x', 'y', 'z'] };
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => me(i % 2 ? httpA : httpB, claims)));
    assert.deepEqual(responses.map((response) => response.status), Array(20).fill(200), JSON.stringify(responses.find((r) => r.status !== 200)?.body));
    const users = await admin.get(`/api/user-sync/directories/${connector.directoryId}/users`);
    assert.equal(users.body.total, 1);
    assert.deepEqual(users.body.items[0].groups, ['x', 'y', 'z']);
  });

  it('applies a change made through one instance on the other within 5 seconds', async (t) => {
    const claims = { sub: 'late-sub', email: 'late@example.com', name: 'Late' };
    assertStatus(await me(httpB, claims), 200);
    const settings = await admin.get('/api/alb-auth/settings');
    const connectorId = settings.body.userSync.connectorId;
    const started = Date.now();
    assertStatus(await admin.patch(`/api/user-sync/connectors/${connectorId}`, { groups: { alwaysAssign: ['late-group'] } }), 200);
    let groups: string[] = [];
    while (Date.now() - started < 5000) {
      groups = (await me(httpB, claims)).body.groups;
      if (groups.includes('late-group')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const elapsed = Date.now() - started;
    t.diagnostic(`instance B saw the change after ${elapsed} ms`);
    assert.ok(groups.includes('late-group'), `instance B still saw ${JSON.stringify(groups)} after ${elapsed} ms`);

    assertStatus(await admin.put('/api/alb-auth/settings', { accessGroups: ['nobody-has-this'] }), 200);
    const deadline = Date.now() + 5000;
    let status = 200;
    while (Date.now() < deadline && status === 200) {
      status = (await me(httpB, claims)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assertError(await me(httpB, claims), 403, 'NO_APPLICATION_ACCESS');
  });

  /** Polls instance B's login until `seen` holds, for at most 5 s; fails naming what B still answered. */
  async function seenOnB(claims: Record<string, unknown>, seen: (response: request.Response) => boolean, what: string): Promise<void> {
    const started = Date.now();
    let response = await me(httpB, claims);
    while (!seen(response) && Date.now() - started < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await me(httpB, claims);
    }
    assert.ok(seen(response), `${what}: instance B still answered ${response.status} ${JSON.stringify(response.body)} after 5 s`);
  }

  it('every admin write that changes a login reaches the other instance within 5 seconds', async () => {
    const connector = await enableJit(admin, { name: 'Every write', groups: { alwaysAssign: [], removeUnlisted: false, createMissing: false } });
    const claims = { sub: 'every-sub', email: 'every-write@example.com', name: 'Every', groups: ['later'] };
    const users = `/api/user-sync/directories/${connector.directoryId}/users`;
    const groups = `/api/user-sync/directories/${connector.directoryId}/groups`;
    const groupsOf = (response: request.Response) => (response.body.groups ?? []) as string[];
    // A throwaway identity finds out when B uses the new connector (each poll is a login).
    const probe = { sub: 'probe-sub', email: 'probe-every@example.com', name: 'Probe' };
    await seenOnB(probe, (response) => response.body.directory?.id === connector.directoryId, 'PUT settings (the new connector)');
    assertStatus(await me(httpB, claims), 200);

    assertStatus(await admin.post(groups, { name: 'later' }), 201);
    await seenOnB(claims, (response) => groupsOf(response).includes('later'), 'POST groups');

    assertStatus(await admin.patch(`${users}/every-write@example.com`, { groups: ['manual-x'] }), 200);
    await seenOnB(claims, (response) => groupsOf(response).includes('manual-x'), 'PATCH users (groups)');

    assertStatus(await admin.delete(`${groups}/manual-x`), 204);
    await seenOnB(claims, (response) => response.status === 200 && !groupsOf(response).includes('manual-x'), 'DELETE groups');

    assertStatus(await admin.patch(`${users}/every-write@example.com`, { active: false }), 200);
    await seenOnB(claims, (response) => response.body.code === 'USER_INACTIVE', 'PATCH users (active)');

    assertStatus(await admin.delete(`${users}/every-write@example.com`), 204);
    await seenOnB(claims, (response) => response.status === 200, 'DELETE users (the next login creates the user again)');

    // User sync off: directories decide who exists.
    assertStatus(await admin.put('/api/alb-auth/settings', { usernameClaim: 'email', userSync: { enabled: false, connectorId: connector.id } }), 200);
    await seenOnB(claims, (response) => response.status === 200 && response.body.directory.id === connector.directoryId, 'PUT settings (sync off)');
    assertStatus(await admin.patch(`/api/user-sync/directories/${connector.directoryId}`, { active: false }), 200);
    await seenOnB(claims, (response) => response.body.code === 'USER_NOT_FOUND', 'PATCH directories (inactive)');
    assertStatus(await admin.patch(`/api/user-sync/directories/${connector.directoryId}`, { active: true }), 200);
    await seenOnB(claims, (response) => response.status === 200, 'PATCH directories (active again)');
  });
});
