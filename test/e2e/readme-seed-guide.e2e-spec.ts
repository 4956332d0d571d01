import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SAMPLE_IDENTITIES } from '../../src/local-alb/sample-identities';
import { freePort } from '../support/free-port';
import { useLocalService } from '../support/local-service';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** The first bash block under a README heading, exactly as printed. */
function commandsUnder(heading: string): string {
  const section = README.slice(README.indexOf(`\n${heading}\n`));
  const match = /```bash\n([\s\S]*?)```/.exec(section);
  assert.ok(match, `a bash block under ${heading}`);
  return match[1];
}

/** Signs in on the emulator's page as a sample identity; the answer of GET /api/me through it. */
function signInAndGetMe(albPort: number, identity: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return signInAndGet(albPort, identity, '/api/me');
}

/** Signs in on the emulator's page as a sample identity; the answer of GET `path` through it. */
async function signInAndGet(albPort: number, identity: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const signIn = await fetch(`http://127.0.0.1:${albPort}/.alb/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ identity, redirect: path }),
  });
  assert.equal(signIn.status, 302);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  const me = await fetch(`http://127.0.0.1:${albPort}${path}`, { headers: { cookie } });
  return { status: me.status, body: (await me.json()) as Record<string, unknown> };
}

// Local mode runs on its own SQLite file whatever the suite's database: once is enough.
const skip = process.env.DATABASE_URL || process.env.HTTP_ADAPTER === 'express' ? 'local mode is the same on every suite: run on the default one' : false;

describe('The README set-up, run as printed against local mode', { skip }, () => {
  const local = useLocalService({ browser: false });

  it('works with no variable set (the admin credential included); afterwards the demo user signs in, the Local Admin is still an admin, Casey is still refused', async () => {
    const commands = commandsUnder('## Set up Just-in-time provisioning, as API calls').replace('API=http://localhost:3000', `API=http://127.0.0.1:${local.port}`);
    const env = { ...process.env };
    delete env.ADMIN_API_TOKEN;
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', commands], { cwd: local.folder, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}\n${local.output()}`);
    assert.match(run.stdout, /"name":"Cognito JIT"/);
    assert.match(run.stdout, /"warnings":\[\]/, 'saved without warnings: the fallback serves the emulator\'s identities');

    const expected: Record<string, { status: number; groups?: string[]; code?: string }> = {
      demo: { status: 200, groups: ['confluence-users', 'users'] },
      admin: { status: 200, groups: ['alb-usersync-admins', 'confluence-users', 'users'] },
      contractor: { status: 403, code: 'NO_APPLICATION_ACCESS' },
    };
    assert.deepEqual(Object.keys(expected).sort(), SAMPLE_IDENTITIES.map((sample) => sample.id).sort());
    for (const sample of SAMPLE_IDENTITIES) {
      const me = await signInAndGetMe(local.albPort, sample.id);
      const want = expected[sample.id];
      assert.equal(me.status, want.status, `${sample.id}: ${JSON.stringify(me.body)}`);
      if (want.code) {
        assert.equal(me.body.code, want.code);
        continue;
      }
      assert.equal(me.body.username, String(sample.claims.email).split('@')[0]);
      assert.equal(me.body.displayName, sample.claims.name);
      assert.deepEqual(me.body.groups, want.groups);
      assert.equal((me.body.directory as { name: string }).name, 'Cognito JIT');
    }
    // The Local Admin, carried over, still opens the admin API through the ALB.
    const admin = await signInAndGet(local.albPort, 'admin', '/api/user-sync/directories');
    assert.equal(admin.status, 200, JSON.stringify(admin.body));
  });

  it("the emulator's sign-in page says what the current settings make of each identity's groups", async () => {
    const page = await (await fetch(`http://127.0.0.1:${local.albPort}/.alb/sign-in`)).text();
    const note = (id: string) => new RegExp(`data-identity="${id}">([^<]*)<`).exec(page)?.[1] ?? '';
    const settings = (await (await signInAndGet(local.albPort, 'admin', '/api/alb-auth/settings')).body) as { accessGroups: string[] };
    assert.deepEqual(settings.accessGroups, ['users'], 'the README set-up requires the group users');
    assert.equal(note('demo'), 'groups: users; in access group users');
    assert.equal(note('contractor'), 'groups: contractors; in none of the access groups (users): refused');
  });

  it('every link the start banner prints answers', async () => {
    const links = [...local.output().matchAll(/http:\/\/localhost:(\d+)(\/\S*)/g)].map(([, port, path]) => `http://127.0.0.1:${port}${path}`);
    assert.ok(links.length >= 4, local.output());
    const answers = await Promise.all(links.map(async (link) => `${link} ${(await fetch(link, { redirect: 'manual' })).status}`));
    assert.deepEqual(answers.filter((answer) => !/ (200|302)$/.test(answer)), [], answers.join('\n'));
  });

  it('a second start on a taken port says which variable moves it, on the same ./data that another runs there; local:reset refuses to delete ./data under the running service', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'alb-usersync-second-'));
    const start = (env: Record<string, string>, cwd = elsewhere) =>
      spawnSync(process.execPath, ['--disable-proto=delete', '-r', require.resolve('ts-node/register/transpile-only'), join(__dirname, '../../src/main.ts')], {
        cwd,
        env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'error', DATABASE_URL: '', ALB_ARNS: '', ADMIN_API_TOKEN: 'a-local-test-token-0123456789abcdefghijkl', TS_NODE_PROJECT: join(__dirname, '../../tsconfig.json'), ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const free = await freePort(4100, 4200, [1]);
    const servicePort = start({ PORT: String(local.port), LOCAL_ALB_PORT: String(free) });
    assert.equal(servicePort.status, 1, servicePort.stderr);
    assert.match(servicePort.stderr, new RegExp(`port ${local.port} is already in use .*set PORT to a free port`));
    const albPort = start({ PORT: String(free), LOCAL_ALB_PORT: String(local.albPort) });
    assert.equal(albPort.status, 1, albPort.stderr);
    assert.match(albPort.stderr, new RegExp(`port ${local.albPort} is already in use .*set LOCAL_ALB_PORT to a free port`));
    const sameData = start({ PORT: String(free), LOCAL_ALB_PORT: String(free + 1) }, local.folder);
    assert.equal(sameData.status, 1, sameData.stderr);
    assert.match(sameData.stderr, /another local service \(pid \d+\) runs on \.\/data/);
    rmSync(elsewhere, { recursive: true, force: true });

    const reset = spawnSync(process.execPath, [join(__dirname, '../../scripts/local-reset.js')], { cwd: local.folder, encoding: 'utf8' });
    assert.equal(reset.status, 1, reset.stdout + reset.stderr);
    assert.match(reset.stderr, /the local service is running \(pid \d+\)/);
    assert.ok(existsSync(join(local.folder, 'data')), './data is still there');
    assert.equal((await fetch(`http://127.0.0.1:${local.port}/health/live`)).status, 200, 'and the service still answers');
  });
});
