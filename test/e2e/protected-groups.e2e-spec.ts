import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enableJit, SIMPLE_CONNECTOR } from '../support/admin-client';
import { assertError, assertStatus } from '../support/http';
import { useTestStack } from '../support/test-stack';

describe('Protected groups: claims never make an admin unless the connector allows it', () => {
  const stack = useTestStack();
  let connectorId = '';

  before(async () => {
    ({ id: connectorId } = await enableJit(stack.admin));
  });

  const asUser = (sub: string, groups: string[]) =>
    stack.signer.sign({ claims: { sub, email: `${sub}@example.com`, groups } });
  const lastAudit = async (type: string) => (await stack.admin.get(`/api/user-sync/audit?type=${type}&limit=1`)).body.items[0];

  it('settings show the protected groups: by default the admin groups', async () => {
    const settings = await stack.admin.get('/api/alb-auth/settings');
    assertStatus(settings, 200);
    assert.deepEqual(settings.body.protectedGroups, ['alb-usersync-admins']);
  });

  it('a groups claim naming alb-usersync-admins grants the other groups, not that one: no admin API, audited', async () => {
    const token = asUser('mallory', ['dev', 'ALB-USERSYNC-ADMINS']);
    const me = await stack.http.get('/api/me').set('x-amzn-oidc-data', token);
    assertStatus(me, 200);
    assert.deepEqual(me.body.groups, ['dev']);
    assertError(await stack.http.get('/api/user-sync/directories').set('x-amzn-oidc-data', token), 403, 'FORBIDDEN');
    const audit = await lastAudit('groups.protected');
    assert.equal(audit.username, 'mallory@example.com');
    assert.deepEqual(audit.details, { notGranted: ['ALB-USERSYNC-ADMINS'] });
  });

  it('alwaysAssign of a protected group is refused when the connector is saved', async () => {
    const response = await stack.admin.patch(`/api/user-sync/connectors/${connectorId}`, { groups: { ...SIMPLE_CONNECTOR.groups, alwaysAssign: ['alb-usersync-admins'] } });
    assertError(response, 400, 'VALIDATION_FAILED');
    assert.match(response.body.message, /alwaysAssign: alb-usersync-admins is a protected group/);
  });

  it('with allowProtectedGroups the same claim makes the user an admin, audited as a group change', async () => {
    const patched = await stack.admin.patch(`/api/user-sync/connectors/${connectorId}`, { groups: { ...SIMPLE_CONNECTOR.groups, allowProtectedGroups: true } });
    assertStatus(patched, 200);
    const token = asUser('mallory', ['dev', 'alb-usersync-admins']);
    assertStatus(await stack.http.get('/api/user-sync/directories').set('x-amzn-oidc-data', token), 200);
    const audit = await lastAudit('groups.changed');
    assert.equal(audit.username, 'mallory@example.com');
    assert.deepEqual(audit.details.added, ['alb-usersync-admins']);
  });

  it('protectedGroups can be set; a manual grant of a protected group is never touched by logins', async () => {
    // mallory is the only admin, through this connector's grant: taking the right away is confirmed.
    const withdraw = { groups: { ...SIMPLE_CONNECTOR.groups, allowProtectedGroups: false } };
    assertError(await stack.admin.patch(`/api/user-sync/connectors/${connectorId}`, withdraw), 422, 'CONFIRMATION_REQUIRED', 'no active admin would remain');
    assertStatus(await stack.admin.patch(`/api/user-sync/connectors/${connectorId}`, { ...withdraw, confirmLockout: true }), 200);
    const put = await stack.admin.put('/api/alb-auth/settings', { protectedGroups: ['alb-usersync-admins', 'finance'] });
    assertStatus(put, 200);
    assert.deepEqual(put.body.protectedGroups, ['alb-usersync-admins', 'finance']);
    const directoryId = (await stack.admin.get(`/api/user-sync/connectors/${connectorId}`)).body.directoryId;
    // mallory's connector grant of alb-usersync-admins is taken back at the next login; a manual finance grant stays.
    assertStatus(await stack.admin.patch(`/api/user-sync/directories/${directoryId}/users/mallory@example.com`, { groups: ['finance'] }), 200);
    const me = await stack.http.get('/api/me').set('x-amzn-oidc-data', asUser('mallory', ['dev', 'alb-usersync-admins', 'finance']));
    assertStatus(me, 200);
    assert.deepEqual(me.body.groups, ['dev', 'finance']);
  });
});
