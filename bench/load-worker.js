// The load generator, in its own process so that it does not share the service's event loop.
// Reads one job as JSON from argv[2], prints one JSON result line.
'use strict';
const autocannon = require('autocannon');
const { createPrivateKey, sign } = require('node:crypto');
const http = require('node:http');

// Sequential logins over one kept-alive node:http connection: undici's fetch costs ~0.5 ms of
// client CPU per request on this machine, which would be measured as the service's latency.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(url, token) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { 'x-amzn-oidc-data': token } }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(response.statusCode));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

const job = JSON.parse(process.argv[2]);

function segment(data) {
  return Buffer.from(data).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

let signingKey;
function mint(claims) {
  const key = (signingKey ??= createPrivateKey(job.privateKeyPem));
  const exp = Math.floor(Date.now() / 1000) + 600;
  const header = { typ: 'JWT', kid: job.kid, alg: 'ES256', iss: job.issuer, client: job.client, signer: job.signer, exp };
  const input = `${segment(JSON.stringify(header))}.${segment(JSON.stringify({ exp, iss: job.issuer, ...claims }))}`;
  return `${input}.${segment(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }))}`;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function load() {
  const headers = {};
  let tokens = [];
  if (job.token) headers['x-amzn-oidc-data'] = job.token;
  if (job.freshTokens) {
    // Pre-minted before the run: distinct tokens (a nonce claim) for the same user.
    // `distinctUsers`: each token is another user's (a first login each), else all are job.claims' user.
    const claimsOf = (i) => (job.distinctUsers ? { ...job.claims, sub: `${job.runId}-u${i}`, email: `u${i}.${job.runId}@bench.example`, name: `User ${i}` } : job.claims);
    tokens = Array.from({ length: job.freshTokens }, (_, i) => mint({ ...claimsOf(i), nonce: `${job.runId}-${i}` }));
    if (job.sameToken) tokens = tokens.map(() => tokens[0]);
  }
  let next = 0;
  process.stdout.write('LOAD START\n');
  const cpu = process.cpuUsage();
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.duration,
    ...(job.amount && { amount: job.amount }),
    headers,
    requests: tokens.length
      ? [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'x-amzn-oidc-data': tokens[next++ % tokens.length] } }) }]
      : undefined,
  });
  // `rounds`: how many times each token may be sent (the memory phase sends each twice).
  if (tokens.length && next > tokens.length * (job.rounds ?? 1)) throw new Error(`ran out of distinct tokens (${next} > ${tokens.length})`);
  const used = process.cpuUsage(cpu);
  return { clientCpuMicros: (used.user + used.system) / result.requests.total, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, requests: result.requests.total };
}

async function logins() {
  // Warm-up logins (not measured): V8 compiles the login path, the shared groups get created.
  for (let i = 0; i < (job.warmup ?? 0); i++) {
    const token = mint({ sub: `${job.runId}-warm-${i}`, email: `${job.runId}-warm-${i}@bench.example`, name: 'Warm', groups: ['alpha', 'beta', `team-${i % 10}`] });
    await get(job.url, token);
  }
  const tokens = Array.from({ length: job.count }, (_, i) =>
    mint({ sub: `${job.runId}-${i}`, email: `${job.runId}-${i}@bench.example`, name: `Bench ${i}`, groups: ['alpha', 'beta', `team-${i % 10}`] }),
  );
  const latencies = [];
  let failures = 0;
  for (const token of tokens) {
    const started = process.hrtime.bigint();
    const status = await get(job.url, token);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (status !== 200) failures++;
  }
  if (process.env.BENCH_BASELINE) {
    const base = [];
    for (let i = 0; i < 300; i++) { const t0 = process.hrtime.bigint(); await get(job.url, tokens[0]); base.push(Number(process.hrtime.bigint() - t0) / 1e6); }
    base.sort((a, b) => a - b);
    process.stderr.write(`same token, sequential: p50 ${percentile(base, 50).toFixed(2)} p99 ${percentile(base, 99).toFixed(2)} ms\n`);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies[latencies.length - 1], failures, count: tokens.length };
}

(job.mode === 'logins' ? logins() : load()).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
