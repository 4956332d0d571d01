import { INestApplication } from '@nestjs/common';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CleanupScheduler } from '../../src/user-sync/lifecycle/cleanup-scheduler.service';
import { adminClient, enableJit, SIMPLE_CONNECTOR } from '../support/admin-client';
import { assertError, assertStatus } from '../support/http';
import { ADMIN_TOKEN } from '../support/test-app';
import { useTestStack } from '../support/test-stack';
import { useTwoInstances } from '../support/two-instances';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Backdates a user's last login: the test's stand-in for days passing. */
async function lastSeen(app: INestApplication, email: string, daysAgo: number): Promise<void> {
  const at = new Date(Date.now() - daysAgo * DAY_MS).toISOString().replace('T', ' ').replace('Z', '');
  await app.get(DataSource).query('UPDATE users SET last_login_at = ? WHERE username_key = ?', [at, email]);
}

describe('Inactive-user cleanup', () => {
  const stack = useTestStack();
  let connectorId = '';
  let directoryId = '';
  const login = (email: string, groups: string[]) =>
    stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub: `sub-${email}`, email, name: email, groups } }));
  const rules = () => `/api/user-sync/directories/${directoryId}/cleanup-rules`;
  const user = (email: string) => stack.admin.get(`/api/user-sync/directories/${directoryId}/users/${email}`);

  before(async () => {
    ({ id: connectorId, directoryId } = await enableJit(stack.admin));
    for (const [email, groups] of [['alice@example.com', ['dev']], ['bob@example.com', ['dev', 'keep-me']], ['carol@example.com', ['dev']]] as const) {
      assertStatus(await login(email, [...groups]), 200);
    }
    await lastSeen(stack.app, 'alice@example.com', 40);
    await lastSeen(stack.app, 'bob@example.com', 40);
    await lastSeen(stack.app, 'carol@example.com', 5);
  });

  it('previews, then deactivates, the users not seen for inactiveDays, keeping an excepted group; audited with the rule', async () => {
    const created = await stack.admin.post(rules(), { name: 'Leavers', inactiveDays: 30, exceptGroups: ['Keep-Me'] });
    assertStatus(created, 201);
    assert.equal(created.body.action, 'deactivate', 'deactivate unless delete is chosen');
    const preview = await stack.admin.post(`${rules()}/${created.body.id}/preview`, {});
    assertStatus(preview, 200);
    assert.deepEqual(preview.body.users.map((candidate: { username: string }) => candidate.username), ['alice@example.com']);
    assert.match(preview.body.users[0].reason, /no login for 40 days \(rule: 30\)/);
    assert.equal((await user('alice@example.com')).body.active, true, 'preview writes nothing');

    const run = await stack.admin.post(`${rules()}/${created.body.id}/run`, {});
    assertStatus(run, 200);
    assert.deepEqual(run.body.affected.map((affected: { username: string }) => affected.username), ['alice@example.com']);
    assert.equal((await user('alice@example.com')).body.active, false);
    assert.equal((await user('bob@example.com')).body.active, true, 'keep-me is excepted');
    assert.equal((await user('carol@example.com')).body.active, true, 'seen 5 days ago');
    const audit = await stack.admin.get('/api/user-sync/audit?type=user.deactivated&limit=5');
    assert.equal(audit.body.total, 1);
    assert.equal(audit.body.items[0].username, 'alice@example.com');
    assert.equal(audit.body.items[0].actor, 'cleanup');
    assert.equal(audit.body.items[0].details.rule, 'Leavers');
    const runs = await stack.admin.get(`${rules()}/${created.body.id}/runs`);
    assert.deepEqual(runs.body.items.map((item: { trigger: string; affected: number }) => [item.trigger, item.affected]), [['manual', 1]]);
  });

  it('a deactivated user\'s next login is refused with USER_INACTIVE, or reactivates it when the connector says so', async () => {
    assertError(await login('alice@example.com', ['dev']), 403, 'USER_INACTIVE');
    assertStatus(await stack.admin.patch(`/api/user-sync/connectors/${connectorId}`, { users: { ...SIMPLE_CONNECTOR.users, reactivateOnLogin: true } }), 200);
    assertStatus(await login('alice@example.com', ['dev']), 200);
    assert.equal((await user('alice@example.com')).body.active, true);
  });

  it("runs the README's preview and run commands as printed (curl -X POST, no body): 200, not 415", async () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('\n### Leavers: inactive-user cleanup\n')))?.[1] ?? '';
    const commands = block.split('\n').filter((line) => /-X POST \$D\/<rule id>\/(preview|run)\b/.test(line));
    assert.equal(commands.length, 2, block);
    const created = await stack.admin.post(rules(), { name: 'README', inactiveDays: 400 });
    assertStatus(created, 201);
    const server = stack.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const env = { ...process.env, AUTH: `authorization: Bearer ${ADMIN_TOKEN}`, D: `http://127.0.0.1:${(server.address() as AddressInfo).port}${rules()}` };
      const answers = [];
      for (const command of commands) {
        const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', `${command.replace('<rule id>', created.body.id).replace(/#.*$/, '')} -w '\\n%{http_code}'`], { env, timeout: 20_000 });
        const [body, status] = stdout.trim().split(/\n(?=\d{3}$)/);
        answers.push({ status: Number(status), body: JSON.parse(body) });
      }
      assert.deepEqual(answers.map((answer) => answer.status), [200, 200], JSON.stringify(answers));
      assert.deepEqual(answers[0].body.users, []);
      assert.equal(answers[1].body.trigger, 'manual');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    // A form, even an empty one, names its type: still refused.
    const form = await stack.http.post(`${rules()}/${created.body.id}/run`).set('authorization', `Bearer ${ADMIN_TOKEN}`).set('content-type', 'application/x-www-form-urlencoded').send('');
    assertError(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('maxPerRun holds; groups may be given by RE2 pattern; bad patterns and schedules are refused', async () => {
    for (const email of ['d1@example.com', 'd2@example.com', 'd3@example.com']) {
      assertStatus(await login(email, ['devops']), 200);
      await lastSeen(stack.app, email, 100);
    }
    const rule = await stack.admin.post(rules(), { name: 'Two at a time', inactiveDays: 60, onlyGroups: ['/^devo/'], maxPerRun: 2 });
    assertStatus(rule, 201);
    const preview = await stack.admin.post(`${rules()}/${rule.body.id}/preview`, {});
    assert.equal(preview.body.users.length, 2);
    assert.equal(preview.body.more, true);
    assert.ok(preview.body.users.every((candidate: { username: string }) => /^d\d@/.test(candidate.username)), 'bob (dev, 40 days) is neither in devo… nor old enough');
    const run = await stack.admin.post(`${rules()}/${rule.body.id}/run`, {});
    assert.equal(run.body.affected.length, 2);
    assert.equal(run.body.more, true);
    assert.equal((await stack.admin.post(`${rules()}/${rule.body.id}/run`, {})).body.affected.length, 1);

    assertError(await stack.admin.post(rules(), { name: 'Bad cron', inactiveDays: 30, schedule: 'every day' }), 400, 'VALIDATION_FAILED');
    const badPattern = await stack.admin.post(rules(), { name: 'Bad pattern', inactiveDays: 30, exceptGroups: ['/(a)\\1/'] });
    assertError(badPattern, 400, 'VALIDATION_FAILED');
    assert.match(badPattern.body.message, /exceptGroups\[0\]: pattern is not a valid regular expression/);
  });
});

/** Every instance ticks; the database lets one of them run each scheduled slot. */
describe('Scheduled cleanup with two instances on one database', () => {
  const instances = useTwoInstances({ userSync: { cleanupTickMs: 150 } });

  it('runs each slot of an every-second schedule exactly once between them', async () => {
    const { first, second, signer } = instances;
    const admin = adminClient(request(first.getHttpServer()));
    const { directoryId } = await enableJit(admin, { name: 'Scheduled' });
    const sign = (email: string) => signer.sign({ claims: { sub: `sub-${email}`, email, name: email } });
    assertStatus(await request(second.getHttpServer()).get('/api/me').set('x-amzn-oidc-data', sign('old@example.com')), 200);
    await lastSeen(first, 'old@example.com', 10);
    const rule = await admin.post(`/api/user-sync/directories/${directoryId}/cleanup-rules`, { name: 'Every second', inactiveDays: 7, schedule: '* * * * * *' });
    assertStatus(rule, 201);
    const runsOf = async () =>
      ((await admin.get(`/api/user-sync/directories/${directoryId}/cleanup-rules/${rule.body.id}/runs`)).body.items as Array<{ slot: string }>).map((run) => run.slot);
    // Polled, not slept: a loaded machine may fire the one-second slots late.
    for (const deadline = Date.now() + 10_000; (await runsOf()).length < 2 && Date.now() < deadline; ) await new Promise((done) => setTimeout(done, 250));
    await admin.patch(`/api/user-sync/directories/${directoryId}/cleanup-rules/${rule.body.id}`, { enabled: false });
    // A tick under way when the rule was disabled may have recorded its run but not yet counted it.
    const schedulers = [first.get(CleanupScheduler), second.get(CleanupScheduler)];
    await Promise.all(schedulers.map((scheduler) => scheduler.idle()));

    const slots = await runsOf();
    assert.ok(slots.length >= 2, `${slots.length} scheduled runs`);
    assert.equal(new Set(slots).size, slots.length, 'no slot ran twice');
    const [a, b] = schedulers.map((scheduler) => scheduler.slots);
    assert.equal(a.ran + b.ran, slots.length);
    assert.ok(a.claimedElsewhere + b.claimedElsewhere > 0, 'both instances wanted slots: the lease decided');
    const deactivated = await admin.get('/api/user-sync/audit?type=user.deactivated');
    assert.equal(deactivated.body.total, 1, 'the user was deactivated once');
  });
});
