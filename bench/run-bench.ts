import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { parseDatabaseUrl } from '../src/database/database-url';
import { signAlbToken } from '../src/testing/alb-token-signer';
import { externalIdColumns, nameKey } from '../src/user-sync/identity/identity-rules';
import { freePort } from '../test/support/free-port';
import { KeyServer } from '../test/support/key-server';
import { ALB_USERSYNC_ENTITIES } from '../src/user-sync/store/entities';

/**
 * npm run bench: the service on loopback, a loopback key server, autocannon in another process.
 * Everything is measured side by side in one run; medians over REPEATS. Noisy machines: read ratios.
 */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const DURATION = Number(process.env.BENCH_SECONDS ?? 3);
// Enough requests in flight to keep the event loop busy in every row (a fresh token waits on a
// verify thread meanwhile): the ratios read 1/throughput as the cost of one request.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 300);
const BIG_DIRECTORY = Number(process.env.BENCH_USERS ?? 100_000);
/** BENCH_AGAINST: rounds of first logins per build and database. */
const LOGIN_ROUNDS = Number(process.env.BENCH_LOGIN_ROUNDS ?? 4);

const ALB = {
  arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/bench-alb/50dc6c495c0c9188',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Bench',
  client: 'bench-client',
};

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdefghijklmnop';
const BENCH_MAPPINGS = [
  { attribute: 'username', sources: ['email'], transformations: [{ type: 'lowercase' }, { type: 'stripDomain' }] },
  { attribute: 'displayName', sources: ['name'] },
  { attribute: 'email', sources: ['email'] },
  { attribute: 'groups', sources: ['groups'] },
];
/** BENCH_PROFILE_DIR=<folder>: each built service writes a CPU profile there when it stops (node --cpu-prof). */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs one job in the load-worker process. */
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

/** User + system CPU time of a process so far (all its threads), in µs: this one, or a peer's from /proc. */
function processCpuMicros(pid: number): number {
  if (pid === process.pid) {
    const used = process.cpuUsage();
    return used.user + used.system;
  }
  // /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function seedUsers(dataSource: DataSource, directoryId: string, count: number, prefix: string): Promise<void> {
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const rows: Array<Record<string, unknown>> = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const username = `seeded.${prefix}.${i}`;
      rows.push({ id: randomUUID(), directoryId, username, usernameKey: nameKey(username), displayName: `Seeded ${i}`, email: `${username}@bench.example`, attributes: {}, ...externalIdColumns(`seed-${prefix}-${i}`) });
    }
    await dataSource.transaction((manager) => manager.insert('UserEntity', rows));
  }
}

type LoginResult = { p50: number; p90: number; p99: number; max: number; failures: number };

/** bench/http-peer.js in its own process: the bare node:http floor, or the hand-written peer. */
async function startPeer(mode: 'bare' | 'peer', keyEndpoint: string): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, [join(__dirname, 'http-peer.js'), mode, JSON.stringify({ signer: ALB.arn, issuer: ALB.issuer, client: ALB.client, keyEndpoint })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const match = /PORT (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${mode} exited with ${code}`)));
  });
  // Never outlive the bench, whatever ends it.
  process.once('exit', () => child.kill('SIGTERM'));
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid as number, stop: () => child.kill('SIGTERM') };
}

/** The service as `npm start` runs it: built JS, its own process, npm start's node options. */
interface BuiltService {
  base: string;
  pid: number;
  /** How it was launched: the environment npm start sets, node and its options. */
  flags: string;
  connector: { id: string; directoryId: string };
  rssMb(): number;
  /** Seeds users into its directory (through a second connection) until it holds `users`. */
  seedTo(users: number, prefix: string): Promise<number>;
  heap(): Promise<string>;
  /** Seconds of GC pauses so far (prom-client's nodejs_gc_duration_seconds, every kind). */
  gcSeconds(): Promise<number>;
  stop(): void;
}

let built = false;

/**
 * @param root the checkout whose dist/ runs: this one (built first), or BENCH_AGAINST's, built
 *   there beforehand (another commit, measured side by side with this one in the same minutes)
 */
async function startBuiltService(keyEndpoint: string, databaseUrl: string, root = join(__dirname, '..')): Promise<BuiltService> {
  if (root !== join(__dirname, '..')) {
    if (!existsSync(join(root, 'dist/main.js'))) throw new Error(`${root}/dist/main.js is missing: build that checkout first (node scripts/start.js --build-only)`);
  } else if (!built) {
    const build = spawnSync(process.execPath, [join(__dirname, '../scripts/start.js'), '--build-only'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
    built = true;
  }
  // Below Linux's ephemeral range (32768-60999), where the bench's own connections take ports.
  const port = await freePort(20_000, 32_000);
  // The environment and node options `npm start` gives the service, then BENCH_NODE_FLAGS (a diagnostic).
  const startScript = (JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [, startEnv = '', startFlags = ''] = /^((?:\w+=\S+ )*)node (.*?) ?scripts\/start\.js/.exec(startScript) ?? [];
  const envOfStart = Object.fromEntries(startEnv.split(' ').filter(Boolean).map((pair) => pair.split('=', 2)));
  const flags = [...startFlags.split(' '), ...(process.env.BENCH_NODE_FLAGS ?? '').split(' '), ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [])].filter(Boolean);
  process.stderr.write(`bench: the service runs as ${startEnv}node ${[...flags, 'dist/main.js'].join(' ')} (${databaseUrl.replace(/:\/\/[^@]*@/, '://…@')})\n`);
  const child = spawn(process.execPath, [...flags, join(root, 'dist/main.js')], {
    cwd: root,
    env: {
      ...envOfStart,
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      ALB_ARNS: ALB.arn,
      ALB_ISSUER: ALB.issuer,
      ALB_CLIENT_IDS: ALB.client,
      ALB_KEY_ENDPOINT: keyEndpoint,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      ADMIN_API_TOKEN: ADMIN_TOKEN,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if ((await fetch(`${base}/health/live`).catch(() => null))?.ok) break;
    if (tries > 200) throw new Error('the service did not start');
    await new Promise((done) => setTimeout(done, 100));
  }
  const admin = async (method: string, path: string, body: object) => {
    const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string; directoryId: string };
  };
  const connector = await admin('POST', '/api/user-sync/connectors', { name: `Bench ${randomUUID()}`, createDirectory: true, mappings: BENCH_MAPPINGS, groups: { alwaysAssign: [], removeUnlisted: true, createMissing: true } });
  await admin('PUT', '/api/alb-auth/settings', { userSync: { enabled: true, connectorId: connector.id }, accessGroups: [] });
  const pid = child.pid as number;
  return {
    base,
    pid,
    flags: `${startEnv}node ${flags.join(' ')}`,
    connector,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024,
    async seedTo(users, prefix) {
      const dataSource = await new DataSource({ ...buildDataSourceOptions(parseDatabaseUrl(databaseUrl), ALB_USERSYNC_ENTITIES), migrationsRun: false } as DataSourceOptions).initialize();
      try {
        await seedUsers(dataSource, connector.directoryId, users - (await usersIn(dataSource, connector.directoryId)), prefix);
        return await usersIn(dataSource, connector.directoryId);
      } finally {
        await dataSource.destroy();
      }
    },
    async gcSeconds() {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      return [...metrics.matchAll(/^alb_usersync_nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    },
    async heap() {
      // Where it lives, from the service's own prom-client process metrics.
      const metrics = await (await fetch(`${base}/metrics`)).text();
      const mb = (name: string) => (Number(new RegExp(`^alb_usersync_${name} (\\S+)`, 'm').exec(metrics)?.[1]) / 2 ** 20).toFixed(0);
      return `V8 heap ${mb('nodejs_heap_size_used_bytes')} MB used of ${mb('nodejs_heap_size_total_bytes')} MB (new space ${mb('nodejs_heap_space_size_total_bytes\\{space="new"\\}')} MB, old ${mb('nodejs_heap_space_size_used_bytes\\{space="old"\\}')} MB used), external ${mb('nodejs_external_memory_bytes')} MB`;
    },
    stop() {
      process.removeListener('exit', kill);
      child.kill('SIGTERM');
    },
  };
}

/**
 * Resident set of the built service with `users` in its directory, its verified-token cache then
 * filled with new tokens (more than it holds, each sent twice: a token enters on its second verification):
 * all of one user, or with `distinctUsers` each another new user's (a first login each: the login cache fills too).
 */
async function measureMemory(service: BuiltService, jobBase: object, users: number, distinctUsers = false): Promise<{ rssMb: number; idleMb: number; heap: string; users: number; tokens: number; flags: string }> {
  const idleMb = service.rssMb();
  const counted = await service.seedTo(users, 'memory');
  const claims = { sub: 'memory-user', email: 'memory.user@bench.example', name: 'Memory User', groups: ['alpha', 'beta', 'gamma'] };
  const tokens = 12_000;
  const load = await worker({ ...jobBase, url: `${service.base}/api/me`, claims, distinctUsers, freshTokens: tokens, duration: 120, amount: 2 * tokens - 100, rounds: 2, runId: randomUUID() });
  // A resident set measured over refused requests would say nothing.
  if (load.non2xx + load.errors > 0) throw new Error(`memory phase: ${load.non2xx} non-2xx answers and ${load.errors} errors`);
  const rssMb = service.rssMb();
  return { rssMb, idleMb, heap: await service.heap(), users: counted, tokens, flags: service.flags };
}

/** First logins (new users) into the built service, sequential; its directory seeded to `users` first. */
async function firstLogins(service: BuiltService, jobBase: object, users: number | null, label: string, count = LOGINS): Promise<LoginResult> {
  if (users !== null) await service.seedTo(users, label);
  // The disk writes of earlier phases (seeding, other databases) are flushed first: a commit's
  // fsync should wait for its own writes, not for the bench's leftovers.
  spawnSync('sync');
  return (await worker({ ...jobBase, mode: 'logins', url: `${service.base}/api/me`, count, warmup: 30, runId: `${label}-${randomUUID()}` })) as LoginResult;
}

function usersIn(dataSource: DataSource, directoryId: string): Promise<number> {
  return dataSource.getRepository('UserEntity').countBy({ directoryId });
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'alb-usersync-bench-'));
  const keys = new KeyServer();
  await keys.start();
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  keys.add(kid, createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString());
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  // Every row runs on SQLite; first logins also on MySQL/MariaDB when DATABASE_URL names one. Ours
  // runs as `npm start` runs it, in its own process, like the two peers.
  const service = await startBuiltService(keys.url, `sqlite:${join(folder, 'bench.sqlite')}`);
  const { base } = service;
  const bare = await startPeer('bare', keys.url);
  const peer = await startPeer('peer', keys.url);
  const claims = { sub: 'bench-user', email: 'bench.user@bench.example', name: 'Bench User', groups: ['alpha', 'beta', 'gamma'] };
  const token = signAlbToken({ privateKey, kid, signer: ALB.arn, issuer: ALB.issuer, client: ALB.client, claims, expiresIn: 3600 });
  const warm = await fetch(`${base}/api/me`, { headers: { 'x-amzn-oidc-data': token } });
  if (warm.status !== 200) throw new Error(`warm-up login failed: ${warm.status} ${await warm.text()}`);
  const peerCheck = await fetch(peer.url, { headers: { 'x-amzn-oidc-data': token } });
  if (peerCheck.status !== 200) throw new Error(`the hand-written peer refused the bench token: ${peerCheck.status}`);

  const common = { connections: CONNECTIONS, duration: DURATION, privateKeyPem, kid, signer: ALB.arn, issuer: ALB.issuer, client: ALB.client };
  const freshTokens = () => Math.ceil(DURATION * 15_000);
  const verifyMicros = es256VerifyMicros();
  const KEYS = ['bare', 'peer', 'live', 'health', 'cached', 'fresh', 'cachedBig', 'freshBig', 'liveWithToken', 'cachedAgainst', 'freshAgainst'] as const;
  type Key = (typeof KEYS)[number];
  const series = () => Object.fromEntries(KEYS.map((key) => [key, [] as number[]])) as Record<Key, number[]>;
  const rows = series();
  const p99 = series();
  const cpuMicros = series();
  const gcMicros = series();
  const clientMicros = series();
  let failures = 0;
  const serverPid: Record<Key, number> = { ...(Object.fromEntries(KEYS.map((key) => [key, service.pid])) as Record<Key, number>), bare: bare.pid, peer: peer.pid };
  const run = async (key: Key, job: object, measured = true) => {
    const pid = serverPid[key];
    let cpu = processCpuMicros(pid);
    // The service's own GC pauses (prom-client's histogram); the peers do not report theirs.
    const gcBefore = pid === service.pid ? await service.gcSeconds() : NaN;
    const result = await worker({ ...common, ...job, runId: randomUUID() }, () => {
      cpu = processCpuMicros(pid);
    });
    const cpuUsed = processCpuMicros(pid) - cpu;
    const gcUsed = pid === service.pid ? (await service.gcSeconds()) - gcBefore : NaN;
    if (!measured) return;
    rows[key].push(result.rps);
    p99[key].push(result.p99);
    cpuMicros[key].push(cpuUsed / result.requests);
    gcMicros[key].push((gcUsed * 1e6) / result.requests);
    clientMicros[key].push(result.clientCpuMicros);
    failures += result.non2xx + result.errors;
  };
  const me = `${base}/api/me`;
  const jobs: Record<Key, object> = {
    bare: { url: bare.url },
    peer: { url: peer.url, claims, freshTokens: freshTokens() },
    live: { url: `${base}/health/live` },
    // Diagnostic (BENCH_ONLY): the liveness route sent the cached row's token header, ignored.
    liveWithToken: { url: `${base}/health/live`, token },
    health: { url: `${base}/health` },
    cached: { url: me, token },
    fresh: { url: me, claims, freshTokens: freshTokens() },
    cachedBig: { url: me, token },
    freshBig: { url: me, claims, freshTokens: freshTokens() },
    // Set when BENCH_AGAINST names another build.
    cachedAgainst: {},
    freshAgainst: {},
  };
  process.stderr.write(`bench: ${REPEATS} repeats of ${DURATION} s, ${CONNECTIONS} connections, ${process.env.HTTP_ADAPTER ?? 'fastify'}\n`);
  const againstRoot = process.env.BENCH_AGAINST;
  if (againstRoot) {
    // BENCH_AGAINST=<a checkout with its dist built>: that build's cached and fresh rows next to ours,
    // alternately first, in the same minutes as the peers; ratios per round, since this VM drifts.
    const other = await startBuiltService(keys.url, `sqlite:${join(folder, 'against.sqlite')}`, againstRoot);
    const otherWarm = await fetch(`${other.base}/api/me`, { headers: { 'x-amzn-oidc-data': token } });
    if (otherWarm.status !== 200) throw new Error(`warm-up login on ${againstRoot} failed: ${otherWarm.status}`);
    serverPid.cachedAgainst = serverPid.freshAgainst = other.pid;
    jobs.cachedAgainst = { url: `${other.base}/api/me`, token };
    jobs.freshAgainst = { url: `${other.base}/api/me`, claims, freshTokens: freshTokens() };
    const orders: Key[][] = [
      ['bare', 'peer', 'cached', 'cachedAgainst', 'fresh', 'freshAgainst'],
      ['bare', 'peer', 'cachedAgainst', 'cached', 'freshAgainst', 'fresh'],
    ];
    // BENCH_REPEATS=0: first logins only.
    if (REPEATS > 0) for (const key of orders[0]) await run(key, { ...jobs[key], duration: 1 }, false);
    for (let r = 0; r < REPEATS; r++) for (const key of orders[r % 2]) await run(key, jobs[key]);
    other.stop();
    const perRound = (a: Key, b: Key) => rows[a].map((value, round) => value / rows[b][round]);
    const shown = (values: number[]) => `${values.map((value) => value.toFixed(2)).join(', ')} (median ${median(values).toFixed(2)}, ${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
    console.log(`\nthis build (${join(__dirname, '..')}) against ${againstRoot}, ${REPEATS} rounds of ${DURATION} s, ${CONNECTIONS} connections, ${process.env.HTTP_ADAPTER ?? 'fastify'}`);
    for (const key of REPEATS > 0 ? (['bare', 'peer', 'cached', 'cachedAgainst', 'fresh', 'freshAgainst'] as Key[]) : []) {
      console.log(`${key}: ${rows[key].map((value) => Math.round(value)).join(', ')} req/s; server CPU ${cpuMicros[key].map((value) => value.toFixed(0)).join(', ')} µs/req`);
    }
    if (REPEATS > 0) {
    console.log(`fresh / peer, this build: ${shown(perRound('fresh', 'peer'))}`);
    console.log(`fresh / peer, ${againstRoot}: ${shown(perRound('freshAgainst', 'peer'))}`);
    console.log(`fresh, this build ÷ ${againstRoot}: ${shown(perRound('fresh', 'freshAgainst'))}`);
    console.log(`cached / bare, this build: ${shown(perRound('cached', 'bare'))}`);
    console.log(`cached / bare, ${againstRoot}: ${shown(perRound('cachedAgainst', 'bare'))}`);
    console.log(`cached, this build ÷ ${againstRoot}: ${shown(perRound('cached', 'cachedAgainst'))}`);
    }
    // First logins the same way: each build's own database, the two alternately first, round by round.
    const databases: Array<[string, string, string]> = [['SQLite', `sqlite:${join(folder, 'logins-this.sqlite')}`, `sqlite:${join(folder, 'logins-against.sqlite')}`]];
    const mysqlUrl = process.env.DATABASE_URL;
    const mysqlAgainstUrl = process.env.BENCH_AGAINST_DATABASE_URL;
    if (mysqlUrl?.startsWith('mysql') && mysqlAgainstUrl?.startsWith('mysql')) databases.push(['MySQL/MariaDB', mysqlUrl, mysqlAgainstUrl]);
    for (const [name, thisUrl, againstUrl] of databases) {
      const builds = [await startBuiltService(keys.url, thisUrl), await startBuiltService(keys.url, againstUrl, againstRoot)];
      for (const build of builds) await firstLogins(build, common, null, `warm-${randomUUID()}`, 30);
      const p99s: [number[], number[]] = [[], []];
      const p50s: [number[], number[]] = [[], []];
      for (let r = 0; r < LOGIN_ROUNDS; r++) {
        for (const which of r % 2 ? [1, 0] : [0, 1]) {
          const result = await firstLogins(builds[which], common, null, `round-${randomUUID()}`);
          failures += result.failures;
          p99s[which].push(result.p99);
          p50s[which].push(result.p50);
        }
      }
      for (const build of builds) build.stop();
      for (const [which, label] of [[0, 'this build'], [1, againstRoot]] as const) {
        console.log(`first logins, ${name}, ${label}: p50 ${p50s[which].map((value) => value.toFixed(2)).join(', ')} ms (median ${median(p50s[which]).toFixed(2)}); p99 ${p99s[which].map((value) => value.toFixed(2)).join(', ')} ms (median ${median(p99s[which]).toFixed(2)})`);
      }
    }
    console.log(`failed requests: ${failures}`);
    service.stop();
    bare.stop();
    peer.stop();
    await keys.stop();
    return;
  }
  const only = process.env.BENCH_ONLY;
  if (only) {
    // BENCH_ONLY=<row>[,<row>…]|logins: some rows alone (interleaved per repeat), e.g. with
    // BENCH_PROFILE_DIR or another setting.
    if (only === 'memory' || only === 'memory-users') {
      const memoryService = await startBuiltService(keys.url, `sqlite:${join(folder, 'memory.sqlite')}`);
      const memory = await measureMemory(memoryService, common, BIG_DIRECTORY, only === 'memory-users');
      memoryService.stop();
      console.log(`memory (${memory.flags} dist/main.js): resident set ${memory.rssMb.toFixed(0)} MB (idle ${memory.idleMb.toFixed(0)} MB) with ${memory.users} users after ${memory.tokens} new tokens${only === 'memory-users' ? ' of as many new users' : ''}, each sent twice; ${memory.heap}`);
    } else if (only === 'logins') {
      const logins = await startBuiltService(keys.url, `sqlite:${join(folder, 'logins.sqlite')}`);
      const result = await firstLogins(logins, common, null, 'only');
      logins.stop();
      console.log(`first logins, SQLite: p50 ${result.p50.toFixed(2)} p90 ${result.p90.toFixed(2)} p99 ${result.p99.toFixed(2)} max ${result.max.toFixed(2)} ms`);
      if (process.env.DATABASE_URL?.startsWith('mysql')) {
        const mysql = await startBuiltService(keys.url, process.env.DATABASE_URL);
        const onMysql = await firstLogins(mysql, common, null, 'only-mysql');
        mysql.stop();
        console.log(`first logins, MySQL: p50 ${onMysql.p50.toFixed(2)} p90 ${onMysql.p90.toFixed(2)} p99 ${onMysql.p99.toFixed(2)} max ${onMysql.max.toFixed(2)} ms`);
      }
    } else {
      const chosen = only.split(',') as Key[];
      for (const key of chosen) await run(key, { ...jobs[key], duration: 1 }, false);
      for (let r = 0; r < REPEATS; r++) for (const key of chosen) await run(key, jobs[key]);
      for (const key of chosen) {
        console.log(
          `${key}: ${rows[key].map((value) => Math.round(value)).join(', ')} req/s; server CPU ${median(cpuMicros[key]).toFixed(0)} µs/req (client ${median(clientMicros[key]).toFixed(0)}); GC pauses ${median(gcMicros[key]).toFixed(1)} µs/req`,
        );
      }
    }
    service.stop();
    bare.stop();
    peer.stop();
    await keys.stop();
    return;
  }
  // One short unmeasured round first: V8 compiles each path before anything is timed.
  const small: Key[] = ['bare', 'peer', 'live', 'health', 'cached', 'fresh'];
  for (const key of small) await run(key, { ...jobs[key], duration: 1 }, false);
  for (let r = 0; r < REPEATS; r++) for (const key of small) await run(key, jobs[key]);

  process.stderr.write(`bench: seeding ${BIG_DIRECTORY} users…\n`);
  const seedStarted = Date.now();
  await service.seedTo(BIG_DIRECTORY, 'big');
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  const pageStarted = process.hrtime.bigint();
  const page = await fetch(`${base}/api/user-sync/directories/${service.connector.directoryId}/users?limit=20&offset=50000&search=user`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const pageMs = Number(process.hrtime.bigint() - pageStarted) / 1e6;
  for (let r = 0; r < REPEATS; r++) {
    await run('cachedBig', jobs.cachedBig);
    await run('freshBig', jobs.freshBig);
  }
  service.stop();

  // First logins and memory: the built service in its own process, as npm start runs it (not this
  // process, whose ts-node compiler heap would add its collections to the service's latency tail).
  const SMALL_DIRECTORY = 1_000;
  const logins = await startBuiltService(keys.url, `sqlite:${join(folder, 'logins.sqlite')}`);
  const loginsSmall = await firstLogins(logins, common, SMALL_DIRECTORY, 'small');
  process.stderr.write(`bench: seeding ${BIG_DIRECTORY} users into the built service's database…\n`);
  const loginsBig = await firstLogins(logins, common, BIG_DIRECTORY, 'big');
  logins.stop();
  failures += loginsSmall.failures + loginsBig.failures;
  process.stderr.write(`bench: memory of the built service in its own process, ${BIG_DIRECTORY} users…\n`);
  const memoryService = await startBuiltService(keys.url, `sqlite:${join(folder, 'memory.sqlite')}`);
  const memory = await measureMemory(memoryService, common, BIG_DIRECTORY);
  memoryService.stop();
  // The same with a first login for every token: the login cache full too, as on a busy instance.
  const manyUsersService = await startBuiltService(keys.url, `sqlite:${join(folder, 'memory-users.sqlite')}`);
  const manyUsers = await measureMemory(manyUsersService, common, BIG_DIRECTORY, true);
  manyUsersService.stop();

  let mysqlLogins: LoginResult | null = null;
  if (process.env.DATABASE_URL?.startsWith('mysql')) {
    const mysql = await startBuiltService(keys.url, process.env.DATABASE_URL);
    await firstLogins(mysql, common, null, 'mysql-warm', 30);
    mysqlLogins = await firstLogins(mysql, common, null, 'mysql');
    failures += mysqlLogins.failures;
    mysql.stop();
  }

  const m = (key: Key) => median(rows[key]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(`\nalb-usersync bench — ${new Date().toISOString()}, node ${process.version}, ${process.env.HTTP_ADAPTER ?? 'fastify'}, SQLite${mysqlLogins ? ' + MySQL logins' : ''}, ${REPEATS}×${DURATION} s, ${CONNECTIONS} connections\n`);
  console.log(line(['measure', 'req/s (median)', 'p99 ms', 'server CPU µs/req (all threads)', 'server GC pauses µs/req', 'client CPU µs/req']));
  console.log(line(['---', '---:', '---:', '---:', '---:', '---:']));
  const table: Array<[string, Key, boolean]> = [
    ['bare `node:http` answer, no verification (own process)', 'bare', false],
    ['hand-written peer: `node:http` + `AlbJwtVerifier`, a new token each (own process)', 'peer', false],
    ['ours, `GET /health/live` (liveness)', 'live', true],
    ['ours, `GET /health` (readiness: database ping)', 'health', true],
    ['ours, `GET /api/me`, the same token', 'cached', true],
    ['ours, `GET /api/me`, a new token each (user provisioned)', 'fresh', true],
    [`ours, \`GET /api/me\`, the same token, ${BIG_DIRECTORY.toLocaleString('en')} users`, 'cachedBig', true],
    [`ours, \`GET /api/me\`, a new token each, ${BIG_DIRECTORY.toLocaleString('en')} users`, 'freshBig', true],
  ];
  for (const [name, key, ours] of table) {
    console.log(line([name, Math.round(m(key)).toLocaleString('en'), String(median(p99[key])), median(cpuMicros[key]).toFixed(0), ours ? median(gcMicros[key]).toFixed(1) : '—', median(clientMicros[key]).toFixed(0)]));
  }
  console.log(`\n| first login (new user, 3 groups; after 30 warm-up logins) | p50 ms | p90 ms | p99 ms | max ms |\n| --- | ---: | ---: | ---: | ---: |`);
  const loginRows: Array<[string, { p50: number; p90: number; p99: number; max: number }]> = [
    [`SQLite, ${LOGINS} logins into ${SMALL_DIRECTORY.toLocaleString('en')} users`, loginsSmall],
    [`SQLite, ${LOGINS} logins into ${BIG_DIRECTORY.toLocaleString('en')} users`, loginsBig],
  ];
  if (mysqlLogins) loginRows.push([`MySQL/MariaDB, ${LOGINS} logins`, mysqlLogins]);
  for (const [name, result] of loginRows) console.log(line([name, result.p50.toFixed(2), result.p90.toFixed(2), result.p99.toFixed(2), result.max.toFixed(2)]));
  const rssMb = Math.max(memory.rssMb, manyUsers.rssMb);
  console.log(`\nES256 verify cost in this process: ${verifyMicros.toFixed(1)} µs (${Math.round(1e6 / verifyMicros).toLocaleString('en')}/s on one core)`);
  console.log(`users page (limit 20, offset 50,000, search) over ${BIG_DIRECTORY.toLocaleString('en')} users: ${pageMs.toFixed(1)} ms (status ${page.status}); seeding took ${seedSeconds.toFixed(1)} s`);
  console.log(`memory of the built service (${memory.flags} dist/main.js, as npm start runs it, its own process) with ${memory.users.toLocaleString('en')} users, after ${memory.tokens.toLocaleString('en')} new tokens, each sent twice (cache: 10,000): resident set ${memory.rssMb.toFixed(0)} MB (idle ${memory.idleMb.toFixed(0)} MB; ${memory.heap}); the same with each token another new user's (12,000 first logins): ${manyUsers.rssMb.toFixed(0)} MB (idle ${manyUsers.idleMb.toFixed(0)} MB; ${manyUsers.heap})`);
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const ratios: Array<[string, number, string, boolean]> = [
    ['fresh / peer (new token each: ours ÷ hand-written)', m('fresh') / m('peer'), '≥ 1.0 (aim 1.3)', m('fresh') / m('peer') >= 1],
    ['cached / live (same token ÷ our liveness)', m('cached') / m('live'), '≥ 0.85', m('cached') / m('live') >= 0.85],
    ['cached / bare (same token ÷ bare node:http)', m('cached') / m('bare'), '≥ 0.5', m('cached') / m('bare') >= 0.5],
    [`first login p50 at ${BIG_DIRECTORY / 1000}k ÷ at ${SMALL_DIRECTORY / 1000}k users`, loginsBig.p50 / loginsSmall.p50, '≤ 1.2', loginsBig.p50 / loginsSmall.p50 <= 1.2],
  ];
  console.log('\n| ratio | value | target | |\n| --- | ---: | --- | --- |');
  for (const [name, value, target, ok] of ratios) console.log(line([name, value.toFixed(2), target, verdict(ok)]));
  console.log(line(['first login p99, SQLite (1k / 100k users)', `${loginsSmall.p99.toFixed(2)} / ${loginsBig.p99.toFixed(2)} ms`, '< 10 ms', verdict(Math.max(loginsSmall.p99, loginsBig.p99) < 10)]));
  if (mysqlLogins) console.log(line(['first login p99, MySQL/MariaDB', `${mysqlLogins.p99.toFixed(2)} ms`, '< 15 ms', verdict(mysqlLogins.p99 < 15)]));
  console.log(line(['resident set, 100k users + full token cache (the larger of one user / as many users as tokens)', `${memory.rssMb.toFixed(0)} / ${manyUsers.rssMb.toFixed(0)} MB`, '< 200 MB', verdict(rssMb < 200)]));
  console.log(`\nfailed requests: ${failures}`);

  bare.stop();
  peer.stop();
  await keys.stop();
  rmSync(folder, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
