// The load generator, in its own process so that it does not share the service's event loop.
// Reads one job as JSON from argv[2], prints one JSON result line.
'use strict';
const autocannon = require('autocannon');
const { createPrivateKey, sign } = require('node:crypto');

const job = JSON.parse(process.argv[2]);

function segment(data) {
  return Buffer.from(data).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

function mint(claims) {
  const key = createPrivateKey(job.privateKeyPem);
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
    tokens = Array.from({ length: job.freshTokens }, (_, i) => mint({ ...job.claims, nonce: `${job.runId}-${i}` }));
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
  if (tokens.length && next > tokens.length) throw new Error(`ran out of distinct tokens (${next} > ${tokens.length})`);
  const used = process.cpuUsage(cpu);
  return { clientCpuMicros: (used.user + used.system) / result.requests.total, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, requests: result.requests.total };
}

async function logins() {
  // Warm-up logins (not measured): V8 compiles the login path, the shared groups get created.
  for (let i = 0; i < (job.warmup ?? 0); i++) {
    const token = mint({ sub: `${job.runId}-warm-${i}`, email: `${job.runId}-warm-${i}@bench.example`, name: 'Warm', groups: ['alpha', 'beta', `team-${i % 10}`] });
    await (await fetch(job.url, { headers: { 'x-amzn-oidc-data': token } })).arrayBuffer();
  }
  const tokens = Array.from({ length: job.count }, (_, i) =>
    mint({ sub: `${job.runId}-${i}`, email: `${job.runId}-${i}@bench.example`, name: `Bench ${i}`, groups: ['alpha', 'beta', `team-${i % 10}`] }),
  );
  const latencies = [];
  let failures = 0;
  for (const token of tokens) {
    const started = process.hrtime.bigint();
    const response = await fetch(job.url, { headers: { 'x-amzn-oidc-data': token } });
    await response.arrayBuffer();
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (response.status !== 200) failures++;
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
