#!/usr/bin/env node
// `npm start`: builds only when a source changed since the last build (dist/.build-stamp), then
// runs the built service in this process. `--build-only` (npm's `prepare`, after `npm ci`) builds
// when needed and exits; without the dev dependencies (npm ci --omit=dev) it leaves dist as it is.
const { spawnSync } = require('node:child_process');
const { existsSync, lstatSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
const INPUTS = ['src', 'web', 'package-lock.json', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

function newestChange(path) {
  const stats = lstatSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, name)));
  return newest;
}

function isStale() {
  if (!existsSync(STAMP) || !existsSync(join(ROOT, 'dist', 'main.js')) || !existsSync(join(ROOT, 'dist', 'admin', 'index.html'))) return true;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.some((input) => existsSync(join(ROOT, input)) && newestChange(join(ROOT, input)) > built);
}

function buildIfStale() {
  if (!isStale()) return;
  if (!existsSync(join(ROOT, 'src')) || !existsSync(join(ROOT, 'node_modules', '@nestjs', 'cli'))) {
    console.log('alb-usersync: no sources or no dev dependencies, so no build (dist is used as it is)');
    return;
  }
  console.log('alb-usersync: sources changed since the last build: npm run build');
  const started = Date.now();
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
}

buildIfStale();
if (!process.argv.includes('--build-only')) require(join(ROOT, 'dist', 'main.js'));
