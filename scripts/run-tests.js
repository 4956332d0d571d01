#!/usr/bin/env node
// Runs every unit spec (src/**/*.spec.ts) and e2e spec (test/**/*.e2e-spec.ts), or with --browser
// the browser specs (test/**/*.browser-spec.ts, Debian's Chromium), with Node's test
// runner. Nest 12 ships ES modules, which Node 20.19+ loads through require(esm); Jest's own module
// loader cannot, so the suites use node:test with ts-node (transpile only; `npm run lint` type-checks).
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

function find(dir, suffix, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, suffix, out);
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const browser = args[0] === '--browser';
// --deploy: the container spec (the Dockerfile's steps outside Docker, the CDK task's environment).
const deploy = args[0] === '--deploy';
const filter = browser || deploy ? args.slice(1) : args;
let files = browser ? find('test', '.browser-spec.ts') : deploy ? find('test', '.deploy-spec.ts') : [...find('src', '.spec.ts'), ...find('test', '.e2e-spec.ts')].sort();
if (filter.length) files = files.filter((file) => filter.some((part) => file.includes(part)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  // Every suite runs as `npm start` runs the service: without the __proto__ accessor (a client's
  // `__proto__` key can then never reach a prototype, whatever a library does with it).
  ['--disable-proto=delete', '--require', 'ts-node/register', '--test', '--test-concurrency=1', `--test-timeout=${deploy ? 1_800_000 : 120_000}`, ...files],
  {
    stdio: 'inherit',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', NODE_NO_WARNINGS: '1' },
  },
);
process.exit(result.status ?? 1);
