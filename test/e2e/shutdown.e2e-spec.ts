import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AlbTestSigner, TEST_ALB } from '../support/alb-test-signer';
import { KeyServer } from '../support/key-server';
import { ADMIN_TOKEN } from '../support/test-app';

const ROOT = resolve(__dirname, '../..');

/** The service as `npm start` runs it (main.ts), in production mode, in its own process. */
describe('The service process', () => {
  const signer = new AlbTestSigner();
  const keys = new KeyServer();
  const folder = mkdtempSync(join(tmpdir(), 'alb-usersync-proc-'));
  const port = 4100 + Math.floor(Math.random() * 500);
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;

  const start = (env: Record<string, string>) => {
    const proc = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'src/main.ts')], {
      cwd: folder,
      env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    proc.stdout?.on('data', (chunk) => (text += chunk));
    proc.stderr?.on('data', (chunk) => (text += chunk));
    const done = new Promise<number | null>((resolveExit) => proc.on('exit', (code, signal) => resolveExit(code ?? (signal ? 128 : null))));
    return { proc, done, text: () => text };
  };

  before(async () => {
    await keys.start();
    keys.add(signer.kid, signer.publicPem);
  });
  after(async () => {
    child?.kill('SIGKILL');
    await keys.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('exits non-zero naming ALB_ARNS when started in production without it, and starts no emulator', async () => {
    const run = start({ NODE_ENV: 'production', ALB_ISSUER: TEST_ALB.issuer, LOCAL_ALB_PORT: String(port + 1) });
    const code = await run.done;
    assert.notEqual(code, 0);
    assert.match(run.text(), /config error: ALB_ARNS: required/);
    await assert.rejects(fetch(`http://127.0.0.1:${port + 1}/`));
  });

  it('serves a valid token, then finishes an in-flight request on SIGTERM before exiting', async () => {
    const run = start({
      NODE_ENV: 'production',
      PORT: String(port),
      ALB_ARNS: TEST_ALB.arn,
      ALB_ISSUER: TEST_ALB.issuer,
      ALB_KEY_ENDPOINT: keys.url,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
    });
    child = run.proc;
    exited = run.done;
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${base}/health`)).status === 200) break;
      } catch {
        await new Promise((done) => setTimeout(done, 200));
      }
    }
    output = run.text();
    assert.equal((await fetch(`${base}/api/docs`)).status, 200, output);
    // User sync is off and no user exists: the token is valid, the user is not known.
    const known = await fetch(`${base}/api/me`, { headers: { 'x-amzn-oidc-data': signer.sign() } });
    assert.equal(((await known.json()) as { code: string }).code, 'USER_NOT_FOUND');

    const slowSigner = new AlbTestSigner();
    keys.add(slowSigner.kid, slowSigner.publicPem);
    keys.delayMs = 1500;
    const inFlight = fetch(`${base}/api/me`, { headers: { 'x-amzn-oidc-data': slowSigner.sign() } });
    await new Promise((done) => setTimeout(done, 300));
    // An idle keep-alive connection too, as an ALB holds them: it must not hold the exit back.
    const idle = connect(port, '127.0.0.1');
    idle.on('error', () => undefined);
    idle.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((done) => idle.once('data', done));
    const signalled = Date.now();
    child.kill('SIGTERM');
    const response = await inFlight;
    assert.equal(((await response.json()) as { code: string }).code, 'USER_NOT_FOUND', 'the in-flight request was answered, not cut');
    await exited;
    const took = Date.now() - signalled;
    assert.ok(took < 5000, `exit ${took} ms after SIGTERM (bound: SHUTDOWN_TIMEOUT_SECONDS, 10 s)`);
    idle.destroy();
    keys.delayMs = 0;
  });
});
