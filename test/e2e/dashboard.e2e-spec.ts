import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { SignInActivity } from '../../src/user-sync/login/sign-in-activity';
import { AdminClient } from '../support/admin-client';
import { assertError, assertStatus } from '../support/http';
import { useTestStack } from '../support/test-stack';

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

interface Bucket {
  bucket: string;
  signedIn: number;
  firstLogins: number;
  refusals: number;
}
interface Dashboard {
  hours: Bucket[];
  days: Bucket[];
  refusalsByCode: Array<{ code: string; count: number }>;
  directories: Array<{ id: string; name: string; users: number; activeUsers: number; groups: number }>;
  cleanupRuns: Array<{ ruleName: string | null; affected: number; trigger: string }>;
}

describe('Dashboard: the sign-in path at a glance, agreeing with the audit', () => {
  const stack = useTestStack();
  let http: ReturnType<typeof request>;
  let admin: AdminClient;
  const me = (claims: Record<string, unknown>) => http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims }));
  const dashboard = async (): Promise<Dashboard> => {
    await stack.app.get(SignInActivity).flush();
    const response = await admin.get('/api/user-sync/dashboard');
    assertStatus(response, 200);
    return response.body;
  };
  const sum = (buckets: Bucket[], field: keyof Omit<Bucket, 'bucket'>) => buckets.reduce((total, bucket) => total + bucket[field], 0);
  const code = (board: Dashboard, wanted: string) => board.refusalsByCode.find((entry) => entry.code === wanted)?.count ?? 0;
  /** The audit's own count of events since an instant. */
  const audited = async (query: string, since: string) => (await admin.get(`/api/user-sync/audit?${query}&since=${encodeURIComponent(since)}&limit=1`)).body.total as number;

  before(() => {
    ({ http, admin } = stack);
  });

  it('counts distinct users signed in, first logins and refusals by hour, day and code; the figures equal the audit’s', async () => {
    const connector = await admin.post('/api/user-sync/connectors', {
      name: unique('Dashboard JIT'),
      createDirectory: true,
      mappings: [
        { attribute: 'username', sources: ['email'], transformations: [{ type: 'stripDomain' }] },
        { attribute: 'displayName', sources: ['name'] },
        { attribute: 'email', sources: ['email'] },
        { attribute: 'groups', sources: ['groups'] },
      ],
    });
    assertStatus(connector, 201);
    assertStatus(await admin.put('/api/alb-auth/settings', { userSync: { enabled: true, connectorId: connector.body.id }, accessGroups: ['users'] }), 200);
    const before = await dashboard();

    const people = [1, 2, 3].map((n) => ({ sub: unique('dash'), email: `${unique('dash')}.${n}@example.com`, name: `Dash ${n}`, groups: ['users', 'team'] }));
    for (const person of people) assertStatus(await me(person), 200);
    // The same user again with a new token: signed in once this hour.
    assertStatus(await me(people[0]), 200);
    assertError(await me({ sub: unique('out'), email: `${unique('out')}@example.com`, name: 'Outsider', groups: ['guests'] }), 403, 'NO_APPLICATION_ACCESS');
    assertError(await me({ sub: unique('nomail'), email: '', name: 'No Mail', groups: ['users'] }), 403, 'PROVISIONING_REJECTED');

    const after = await dashboard();
    assert.equal(after.hours.length, 24);
    assert.equal(after.days.length, 14);
    const now = after.hours[23];
    assert.match(now.bucket, /^\d{4}-\d{2}-\d{2} \d{2}$/);
    assert.equal(after.days[13].bucket, now.bucket.slice(0, 10), 'today is the last day');
    const was = before.hours.find((bucket) => bucket.bucket === now.bucket) ?? { signedIn: 0, firstLogins: 0, refusals: 0 };
    assert.equal(now.signedIn - was.signedIn, 3, 'three users signed in, one of them twice');
    // The outsider is provisioned too (the directory keeps who tried), then refused access.
    assert.equal(now.firstLogins - was.firstLogins, 4);
    assert.equal(now.refusals - was.refusals, 2);
    assert.equal(code(after, 'NO_APPLICATION_ACCESS') - code(before, 'NO_APPLICATION_ACCESS'), 1);
    assert.equal(code(after, 'PROVISIONING_REJECTED') - code(before, 'PROVISIONING_REJECTED'), 1);

    // The same figures the audit gives for the same windows.
    const hoursSince = `${after.hours[0].bucket.replace(' ', 'T')}:00:00Z`;
    const daysSince = `${after.days[0].bucket}T00:00:00Z`;
    assert.equal(sum(after.hours, 'firstLogins'), await audited('type=user.created&actor=login', hoursSince));
    assert.equal(sum(after.hours, 'refusals'), await audited('type=login.refused', hoursSince));
    assert.equal(sum(after.days, 'firstLogins'), await audited('type=user.created&actor=login', daysSince));
    assert.equal(sum(after.days, 'refusals'), await audited('type=login.refused', daysSince));
    assert.equal(after.refusalsByCode.reduce((total, entry) => total + entry.count, 0), sum(after.days, 'refusals'));

    const directory = after.directories.find((entry) => entry.id === connector.body.directoryId);
    assert.deepEqual(directory && { users: directory.users, activeUsers: directory.activeUsers, groups: directory.groups }, { users: 4, activeUsers: 4, groups: 3 });
  });

  it('shows the newest cleanup runs with their rule', async () => {
    const directories = (await admin.get('/api/user-sync/directories?limit=100')).body.items as Array<{ id: string }>;
    const rule = await admin.post(`/api/user-sync/directories/${directories[0].id}/cleanup-rules`, { name: unique('Dash leavers'), inactiveDays: 3650, action: 'deactivate', maxPerRun: 10 });
    assertStatus(rule, 201);
    assertStatus(await admin.post(`/api/user-sync/directories/${directories[0].id}/cleanup-rules/${rule.body.id}/run`, {}), 200);
    const board = await dashboard();
    assert.deepEqual(board.cleanupRuns[0] && { ruleName: board.cleanupRuns[0].ruleName, affected: board.cleanupRuns[0].affected, trigger: board.cleanupRuns[0].trigger }, { ruleName: rule.body.name, affected: 0, trigger: 'manual' });
  });

  it('answers admins only', async () => {
    assertError(await http.get('/api/user-sync/dashboard'), 401, 'TOKEN_MISSING');
  });
});
