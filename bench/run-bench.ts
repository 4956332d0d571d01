import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { loadConfig } from '../src/config/app-config';
import { createHttpAdapter } from '../src/http-adapter';
import { signAlbToken } from '../src/local-alb/alb-token-signer';
import { ConnectorsService } from '../src/user-sync/admin-api/connectors/connectors.service';
import { AlbSettingsService } from '../src/user-sync/config/alb-settings.service';
import { externalIdColumns, nameKey } from '../src/user-sync/identity/identity-rules';
import { KeyServer } from '../test/support/key-server';

/**
 * npm run bench: the service on loopback, a loopback key server, autocannon in another process.
 * Everything is measured side by side in one run; medians over REPEATS. Noisy machines: read ratios.
 */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const DURATION = Number(process.env.BENCH_SECONDS ?? 3);
// Enough requests in flight to keep the event loop busy in every row (a fresh token waits on a
// verify thread meanwhile): the ratios read 1/throughput as the cost of one request.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 300);
const BIG_DIRECTORY = Number(process.env.BENCH_USERS ?? 100_000);

const ALB = {
  arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/bench-alb/50dc6c495c0c9188',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Bench',
  client: 'bench-client',
};

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdefghijklmnop';
/** BENCH_PROFILE_DIR=<folder>: a CPU profile of the event loop per run, for Chrome DevTools. */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs one job in the load-worker process (asynchronously: the service shares this event loop). */
async function worker(job: object, onLoadStart?: () => void): Promise<Record<string, number>> {
  const child = spawn(process.execPath, [join(__dirname, 'load-worker.js'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
    if (onLoadStart && output.includes('LOAD START\n')) {
      onLoadStart();
      onLoadStart = undefined;
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`load worker exited with ${code}`);
  return JSON.parse(output.trim().split('\n').pop() as string);
}

async function startProfiler(): Promise<{ stop(): Promise<object> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<any>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

function es256VerifyMicros(): number {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.from('x'.repeat(600));
  const signature = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const key = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  for (let i = 0; i < 500; i++) verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const n = 3000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    rounds.push(Number(process.hrtime.bigint() - started) / 1e3 / n);
  }
  return median(rounds);
}

async function seedUsers(app: INestApplication, directoryId: string, count: number): Promise<void> {
  const dataSource = app.get(DataSource);
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const rows: Array<Record<string, unknown>> = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const username = `seeded.user.${i}`;
      rows.push({ id: randomUUID(), directoryId, username, usernameKey: nameKey(username), displayName: `Seeded ${i}`, email: `${username}@bench.example`, attributes: {}, ...externalIdColumns(`seed-${i}`) });
    }
    await dataSource.transaction((manager) => manager.insert('UserEntity', rows));
  }
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'alb-usersync-bench-'));
  const keys = new KeyServer();
  await keys.start();
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  keys.add(kid, createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString());
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  const config = loadConfig({
    NODE_ENV: 'production',
    ALB_ARNS: ALB.arn,
    ALB_ISSUER: ALB.issuer,
    ALB_CLIENT_IDS: ALB.client,
    ALB_KEY_ENDPOINT: keys.url,
    DATABASE_URL: process.env.DATABASE_URL || `sqlite:${join(folder, 'bench.sqlite')}`,
    LOG_LEVEL: 'silent',
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    ...(process.env.HTTP_ADAPTER && { HTTP_ADAPTER: process.env.HTTP_ADAPTER }),
    ...(process.env.ALB_VERIFY_THREADS && { ALB_VERIFY_THREADS: process.env.ALB_VERIFY_THREADS }),
  });
  const module = AppModule.forRoot(config, { dropSchema: config.database.type === 'mysql' });
  const adapter = createHttpAdapter(config.httpAdapter);
  const app = configureApp(adapter ? await NestFactory.create(module, adapter, { logger: false }) : await NestFactory.create(module, { logger: false }));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  const connector = await app.get(ConnectorsService).create(
    {
      name: 'Bench JIT',
      createDirectory: true,
      mappings: [
        { attribute: 'username', sources: ['email'], transformations: [{ type: 'lowercase' }, { type: 'stripDomain' }] },
        { attribute: 'displayName', sources: ['name'] },
        { attribute: 'email', sources: ['email'] },
        { attribute: 'groups', sources: ['groups'] },
      ],
      groups: { alwaysAssign: [], removeUnlisted: true, createMissing: true },
    },
    'bench',
  );
  await app.get(AlbSettingsService).put({ userSync: { enabled: true, connectorId: connector.id }, accessGroups: [] }, 'bench');
  const claims = { sub: 'bench-user', email: 'bench.user@bench.example', name: 'Bench User', groups: ['alpha', 'beta', 'gamma'] };
  const token = signAlbToken({ privateKey, kid, signer: ALB.arn, issuer: ALB.issuer, client: ALB.client, claims, expiresIn: 3600 });
  const warm = await fetch(`${base}/api/me`, { headers: { 'x-amzn-oidc-data': token } });
  if (warm.status !== 200) throw new Error(`warm-up login failed: ${warm.status} ${await warm.text()}`);

  const common = { connections: CONNECTIONS, duration: DURATION, privateKeyPem, kid, signer: ALB.arn, issuer: ALB.issuer, client: ALB.client };
  const verifyMicros = es256VerifyMicros();
  // One series per measure and load row (a, b, c, bBig, probe), one sample per repeat.
  const series = (): Record<string, number[]> => ({ a: [], b: [], c: [], bBig: [], probe: [] });
  const rows = series();
  const p99 = series();
  let failures = 0;
  const loopMicros = series();
  const cpuMicros = series();
  const clientMicros = series();
  const loopBusy = series();
  const run = async (key: string, job: object, measured = true) => {
    // The worker mints its tokens before it starts the load: measure only while it loads.
    let loop = performance.eventLoopUtilization();
    let cpu = process.cpuUsage();
    const profiler = PROFILE_DIR ? await startProfiler() : undefined;
    const result = await worker({ ...common, ...job, runId: randomUUID() }, () => {
      loop = performance.eventLoopUtilization();
      cpu = process.cpuUsage();
    });
    const loopUsed = performance.eventLoopUtilization(loop);
    const cpuUsed = process.cpuUsage(cpu);
    if (profiler) writeFileSync(join(PROFILE_DIR as string, `${key}-${rows[key].length}.cpuprofile`), JSON.stringify(await profiler.stop()));
    if (!measured) return;
    rows[key].push(result.rps);
    p99[key].push(result.p99);
    loopMicros[key].push((loopUsed.active * 1e3) / result.requests);
    loopBusy[key].push(loopUsed.utilization);
    cpuMicros[key].push((cpuUsed.user + cpuUsed.system) / result.requests);
    clientMicros[key].push(result.clientCpuMicros);
    failures += result.non2xx + result.errors;
  };
  process.stderr.write(`bench: ${REPEATS} repeats of ${DURATION} s, ${CONNECTIONS} connections, ${config.httpAdapter}, database ${config.database.type}\n`);
  if (process.env.BENCH_ONLY === 'fresh') {
    // BENCH_ONLY=fresh|logins: one measure alone, e.g. with BENCH_PROFILE_DIR or another setting.
    await run('c', { url: `${base}/api/me`, claims, freshTokens: Math.ceil(DURATION * 12_000) });
    console.log(`fresh tokens: ${Math.round(rows.c[0])} req/s`);
    await app.close();
    await keys.stop();
    return;
  }
  if (process.env.BENCH_ONLY === 'logins') {
    const result = await worker({ ...common, mode: 'logins', url: `${base}/api/me`, count: LOGINS, warmup: 30, runId: randomUUID() });
    console.log(`first logins: p50 ${result.p50.toFixed(2)} p90 ${result.p90.toFixed(2)} p99 ${result.p99.toFixed(2)} max ${result.max.toFixed(2)} ms`);
    await app.close();
    await keys.stop();
    return;
  }
  // One short unmeasured round first: V8 compiles each path before anything is timed.
  await run('a', { url: `${base}/health`, duration: 1 }, false);
  await run('b', { url: `${base}/api/me`, token, duration: 1 }, false);
  await run('c', { url: `${base}/api/me`, claims, freshTokens: 12_000, duration: 1 }, false);
  for (let r = 0; r < REPEATS; r++) {
    await run('a', { url: `${base}/health` });
    await run('b', { url: `${base}/api/me`, token });
    await run('c', { url: `${base}/api/me`, claims, freshTokens: Math.ceil(DURATION * 12_000) });
    if (process.env.BENCH_PROBE) await run('probe', { url: `${base}/api/me`, claims, freshTokens: Math.ceil(DURATION * 12_000), sameToken: true });
  }
  const loginsSmall = await worker({ ...common, mode: 'logins', url: `${base}/api/me`, count: LOGINS, warmup: 30, runId: `small-${randomUUID()}` });
  process.stderr.write(`bench: seeding ${BIG_DIRECTORY} users…\n`);
  const seedStarted = Date.now();
  await seedUsers(app, connector.directoryId, BIG_DIRECTORY);
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  const pageStarted = process.hrtime.bigint();
  const page = await fetch(`${base}/api/user-sync/directories/${connector.directoryId}/users?limit=20&offset=50000&search=user`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const pageMs = Number(process.hrtime.bigint() - pageStarted) / 1e6;
  for (let r = 0; r < REPEATS; r++) await run('bBig', { url: `${base}/api/me`, token });
  const loginsBig = await worker({ ...common, mode: 'logins', url: `${base}/api/me`, count: LOGINS, warmup: 30, runId: `big-${randomUUID()}` });
  failures += loginsSmall.failures + loginsBig.failures;

  const a = median(rows.a);
  const b = median(rows.b);
  const c = median(rows.c);
  const table: Array<[string, string]> = [
    ['(a) GET /health', 'a'],
    ['(b) GET /api/me, one cached token', 'b'],
    ['(c) GET /api/me, a fresh token per request', 'c'],
    [`(e) (b) with ${BIG_DIRECTORY.toLocaleString('en')} users`, 'bBig'],
  ];
  if (rows.probe.length) table.push(['(probe) one token sent through the fresh-token client path', 'probe']);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(`\nalb-usersync bench — ${new Date().toISOString()}, node ${process.version}, ${config.httpAdapter}, ${config.database.type}, ${REPEATS}×${DURATION} s, ${CONNECTIONS} connections\n`);
  console.log(line(['measure', 'req/s (median)', 'p99 ms', 'event loop busy', 'event loop µs/req', 'CPU µs/req (all threads)', 'load generator CPU µs/req']));
  console.log(line(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const [name, key] of table) {
    console.log(line([name, Math.round(median(rows[key])).toLocaleString('en'), String(median(p99[key])), `${Math.round(median(loopBusy[key]) * 100)} %`, median(loopMicros[key]).toFixed(0), median(cpuMicros[key]).toFixed(0), median(clientMicros[key]).toFixed(0)]));
  }
  console.log(`\n| first login (new user, 3 groups; after 30 warm-up logins) | p50 ms | p90 ms | p99 ms | max ms |\n| --- | ---: | ---: | ---: | ---: |`);
  for (const [name, result] of [
    [`(d) ${LOGINS} logins, small directory`, loginsSmall],
    [`(e) ${LOGINS} logins, ${BIG_DIRECTORY.toLocaleString('en')} users`, loginsBig],
  ] as const) {
    console.log(line([name, result.p50.toFixed(2), result.p90.toFixed(2), result.p99.toFixed(2), result.max.toFixed(2)]));
  }
  console.log(`\nES256 verify cost in this process: ${verifyMicros.toFixed(1)} µs (${Math.round(1e6 / verifyMicros).toLocaleString('en')}/s on one core)`);
  console.log(`users page (limit 20, offset 50,000, search) over ${BIG_DIRECTORY.toLocaleString('en')} users: ${pageMs.toFixed(1)} ms (status ${page.status}); seeding took ${seedSeconds.toFixed(1)} s`);
  console.log('\nratios');
  console.log(`  cached         = b/a = ${(b / a).toFixed(2)}   (target ≥ 0.85)`);
  console.log(`  fresh overhead = (1/c - 1/a) / verify = ${((1 / c - 1 / a) * 1e6 / verifyMicros).toFixed(2)}   (target ≤ 1.3)`);
  console.log(`  scale          = d@${BIG_DIRECTORY / 1000}k / d@small (p50) = ${(loginsBig.p50 / loginsSmall.p50).toFixed(2)}   (target ≤ 1.2)`);
  console.log(`  failed requests: ${failures}`);

  await app.close();
  await keys.stop();
  rmSync(folder, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
