import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AlbTestSigner, TEST_ALB } from '../support/alb-test-signer';
import { KeyServer } from '../support/key-server';
import { SIMPLE_CONNECTOR } from '../support/admin-client';
import { freePort } from '../support/free-port';
import { ADMIN_TOKEN } from '../support/test-app';

const ROOT = resolve(__dirname, '../..');

/** Until /health answers 200; fails at once, with what the service printed, if it exits first. */
async function waitForHealth(base: string, run: { done: Promise<number | null>; text(): string }): Promise<void> {
  let exitCode: number | null | undefined;
  void run.done.then((code) => (exitCode = code));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && exitCode === undefined) {
    const status = await fetch(`${base}/health`).then((response) => response.status, () => 0);
    if (status === 200) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  const why = exitCode === undefined ? 'not healthy within 60 s' : `exited with ${exitCode} before it was healthy`;
  assert.fail(`the service ${why}; it printed:\n${run.text().slice(-4000)}`);
}

/** The service as `npm start` runs it (main.ts), in production mode, in its own process. */
describe('The service process', () => {
  const signer = new AlbTestSigner();
  const keys = new KeyServer();
  const folder = mkdtempSync(join(tmpdir(), 'alb-usersync-proc-'));
  let port: number;
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;

  const start = (env: Record<string, string>) => {
    const proc = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'src/main.ts')], {
      cwd: folder,
      env: {
        PATH: process.env.PATH ?? '',
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        TS_NODE_TRANSPILE_ONLY: 'true',
        ...(process.env.HTTP_ADAPTER && { HTTP_ADAPTER: process.env.HTTP_ADAPTER }),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    proc.stdout?.on('data', (chunk) => (text += chunk));
    proc.stderr?.on('data', (chunk) => (text += chunk));
    const done = new Promise<number | null>((resolveExit) => proc.on('exit', (code, signal) => resolveExit(code ?? (signal ? 128 : null))));
    return { proc, done, text: () => text };
  };

  before(async () => {
    // Three ports: the service's (third test), the emulator's that must stay closed, the service's (second test).
    port = await freePort(20_000, 32_000, [1, 2]);
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

  it('logs one line at info per request (login, refused login, admin call) and counts them at /metrics', async () => {
    const metricsToken = 'metrics-token-0123456789abcdef0123456789';
    const run = start({
      NODE_ENV: 'production',
      PORT: String(port + 2),
      ALB_ARNS: TEST_ALB.arn,
      ALB_ISSUER: TEST_ALB.issuer,
      ALB_KEY_ENDPOINT: keys.url,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      METRICS_TOKEN: metricsToken,
      LOG_LEVEL: 'info',
      DATABASE_URL: 'sqlite::memory:',
      // Every fresh token on a verify thread: the threads must start from this temp folder too.
      ALB_VERIFY_THREADS: '1',
      ALB_VERIFY_THREADS_AT_LOAD: '0',
    });
    child = run.proc;
    const base = `http://127.0.0.1:${port + 2}`;
    await waitForHealth(base, run);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const connector = await fetch(`${base}/api/user-sync/connectors`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ ...SIMPLE_CONNECTOR, createDirectory: true }),
    });
    assert.equal(connector.status, 201);
    const { id } = (await connector.json()) as { id: string };
    const settings = await fetch(`${base}/api/alb-auth/settings`, { method: 'PUT', headers: admin, body: JSON.stringify({ userSync: { enabled: true, connectorId: id } }) });
    assert.equal(settings.status, 200);
    const secret = 'claim-value-never-logged@example.com';
    const login = await fetch(`${base}/api/me`, { headers: { 'x-amzn-oidc-data': signer.sign({ claims: { sub: 'logged-1', email: secret } }) } });
    assert.equal(login.status, 200);
    const refused = await fetch(`${base}/api/me`, { headers: { 'x-amzn-oidc-data': signer.sign({ claims: { sub: 'logged-2', email: undefined, username: undefined } }) } });
    assert.equal(refused.status, 403);
    const refusedBody = (await refused.json()) as { requestId?: string };
    assert.equal(refusedBody.requestId, refused.headers.get('x-request-id'));
    // A request's line is written when its response closes, which can come after the client has it.
    const ids = [login, refused, settings].map((response) => response.headers.get('x-request-id') ?? '');
    const completed = () => run.text().split('\n').filter((line) => line.includes('"request completed"'));
    for (const deadline = Date.now() + 5000; Date.now() < deadline && !ids.every((id) => completed().some((line) => line.includes(id))); ) {
      await new Promise((done) => setTimeout(done, 50));
    }
    const lines = completed().map((line) => JSON.parse(line) as Record<string, unknown>);
    const of = (id: string | null) => lines.filter((line) => line.requestId === id);
    const loginLine = of(login.headers.get('x-request-id'));
    assert.equal(loginLine.length, 1);
    assert.equal(loginLine[0].level, 30);
    assert.deepEqual([loginLine[0].method, loginLine[0].route, loginLine[0].status], ['GET', '/api/me', 200]);
    assert.match(String(loginLine[0].userId), /^[0-9a-f-]{36}$/);
    const refusedLine = of(refused.headers.get('x-request-id'));
    assert.equal(refusedLine.length, 1);
    assert.equal(refusedLine[0].code, 'PROVISIONING_REJECTED');
    const adminLine = of(settings.headers.get('x-request-id'));
    assert.deepEqual([adminLine.length, adminLine[0]?.route, adminLine[0]?.userId], [1, '/api/alb-auth/settings', 'api-token']);
    assert.ok(!run.text().includes(secret), 'no claim value in the log');
    assert.ok(!run.text().includes(ADMIN_TOKEN), 'no token in the log');

    assert.equal((await fetch(`${base}/metrics`)).status, 401);
    const scraped = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    assert.match(scraped, /alb_usersync_http_requests_total\{method="GET",route="\/api\/me",status="200"\} 1/);
    assert.match(scraped, /alb_usersync_http_requests_total\{method="GET",route="\/api\/me",status="403"\} 1/);
    assert.match(scraped, /alb_usersync_http_requests_total\{method="PUT",route="\/api\/alb-auth\/settings",status="200"\} 1/);
    assert.match(scraped, /alb_usersync_logins_total\{decision="create",code=""\} 1/);
    assert.match(scraped, /alb_usersync_logins_total\{decision="refuse",code="PROVISIONING_REJECTED"\} 1/);
    assert.match(scraped, /alb_usersync_token_verifications_total\{outcome="verified"\} 2/);
    assert.match(scraped, /alb_usersync_key_fetches_total\{result="ok"\} 1/);
    assert.match(scraped, /alb_usersync_verify_thread_jobs_total\{result="answered"\} 2/);
    assert.ok(!/verify thread failed/i.test(run.text()), 'no verify thread died');
    assert.match(scraped, /alb_usersync_db_pool_connections\{state="open"\} \d/);
    assert.match(scraped, /alb_usersync_nodejs_eventloop_lag_seconds \d/);
    child.kill('SIGTERM');
    await run.done;
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
    await waitForHealth(base, run);
    output = run.text();
    assert.equal((await fetch(`${base}/api/docs`)).status, 200, output);
    // User sync is off and no user exists: the token is valid, the user is not known.
    const known = await fetch(`${base}/api/me`, { headers: { 'x-amzn-oidc-data': signer.sign() } });
    assert.equal(((await known.json()) as { code: string }).code, 'USER_NOT_FOUND');

    const slowSigner = new AlbTestSigner();
    keys.add(slowSigner.kid, slowSigner.publicPem);
    keys.delayMs = 1500;
    const inFlight = fetch(`${base}/api/me`, { headers: { 'x-amzn-oidc-data': slowSigner.sign() } });
    // In flight means the service is fetching its key.
    for (const deadline = Date.now() + 5000; !keys.hits.get(slowSigner.kid) && Date.now() < deadline; ) await new Promise((done) => setTimeout(done, 20));
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
    assert.ok(took < 8000, `exit ${took} ms after SIGTERM (bound: SHUTDOWN_TIMEOUT_SECONDS, 10 s)`);
    idle.destroy();
    keys.delayMs = 0;
  });
});
