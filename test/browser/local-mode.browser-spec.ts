import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser, chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { redirect: 'manual' });
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms`);
}

/**
 * The newcomer's first five minutes, in a real browser: the service in local mode (as `npm start`
 * runs it, from a fresh data folder), the emulator's sign-in page, /api/me, then logout.
 */
describe('local mode in a browser', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'alb-usersync-local-'));
  const port = 3900 + Math.floor(Math.random() * 50);
  const albPort = port + 1000;
  let service: ChildProcess;
  let browser: Browser;
  let output = '';

  before(async () => {
    service = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'src/main.ts')], {
      cwd: folder,
      env: { ...process.env, NODE_ENV: 'development', PORT: String(port), LOCAL_ALB_PORT: String(albPort), LOG_LEVEL: 'warn', DATABASE_URL: '', ALB_ARNS: '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout?.on('data', (chunk) => (output += chunk));
    service.stderr?.on('data', (chunk) => (output += chunk));
    await waitFor(`http://127.0.0.1:${albPort}/.alb/sign-in`, 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    service?.kill('SIGTERM');
    rmSync(folder, { recursive: true, force: true });
  });

  it('signs in as the demo user, shows the provisioned user, refuses the contractor, and logs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://localhost:${albPort}/`);
    assert.match(await page.title(), /Sign in/, output);
    await page.check('input[value="demo"]');
    await page.click('#sign-in');
    await page.waitForURL(/\/api\/me$/);
    const me = JSON.parse((await page.textContent('body')) ?? '{}');
    assert.equal(me.username, 'demo.user');
    assert.deepEqual(me.groups, ['users']);
    assert.equal(me.directory.name, 'Local demo');

    const logout = await page.goto(`http://localhost:${albPort}/logout`);
    assert.equal(logout?.status(), 200);
    await page.goto(`http://localhost:${albPort}/api/me`);
    assert.match(await page.title(), /Sign in/);

    await page.check('input[value="contractor"]');
    await page.click('#sign-in');
    await page.waitForURL(/\/api\/me$/);
    const refused = JSON.parse((await page.textContent('body')) ?? '{}');
    assert.equal(refused.code, 'NO_APPLICATION_ACCESS');
    await context.close();
  });

  it('takes claims typed as JSON; cognito:groups travels in the verified access token, as with Cognito', async () => {
    const page = await browser.newPage();
    await page.goto(`http://localhost:${albPort}/api/me`);
    await page.fill('#claims', JSON.stringify({ sub: 'typed-1', username: 'typed', email: 'typed@example.com', name: 'Typed', 'cognito:groups': ['users', 'extra'] }));
    await page.click('#sign-in');
    await page.waitForURL(/\/api\/me$/);
    const me = JSON.parse((await page.textContent('body')) ?? '{}');
    assert.equal(me.username, 'typed');
    assert.deepEqual(me.groups, ['extra', 'users']);
    await page.close();
  });

  it('lets the Local Admin into the admin API through the membership the demo data granted by hand', async () => {
    const page = await browser.newPage();
    await page.goto(`http://localhost:${albPort}/api/me`);
    await page.check('input[value="admin"]');
    await page.click('#sign-in');
    await page.waitForURL(/\/api\/me$/);
    const me = JSON.parse((await page.textContent('body')) ?? '{}');
    assert.deepEqual(me.groups, ['alb-usersync-admins', 'users']);
    const directories = await page.goto(`http://localhost:${albPort}/api/user-sync/directories`);
    assert.equal(directories?.status(), 200);
    const audit = JSON.parse((await (await page.goto(`http://localhost:${albPort}/api/user-sync/audit?type=groups.protected&limit=1`))!.text()) ?? '{}');
    assert.deepEqual(audit.items[0].details, { notGranted: ['alb-usersync-admins'] }, 'the claim was not what granted it');
    await page.close();
  });
});
