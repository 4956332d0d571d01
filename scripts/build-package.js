#!/usr/bin/env node
// Builds the publishable package (packages/nestjs, `npm pack` runs this as its prepack): the
// library entry points compiled from src/ with their types, its own README (the tarball figures
// written into it) and the LICENSE beside them. Then
// checks what the built code requires: every package is declared in the manifest, none of the
// reference service's own (Fastify, Express, pino, Terminus, drivers), and the AlbAuth and testing
// entry points load no TypeORM, and a verify thread nothing but aws-jwt-verify.
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { builtinModules } = require('node:module');
const { dirname, join, resolve } = require('node:path');

const ROOT = join(__dirname, '..');
const PACKAGE = join(ROOT, 'packages', 'nestjs');
const DIST = join(PACKAGE, 'dist');
const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
const DECLARED = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
const SERVICE_ONLY = /^(fastify|@fastify\/|express|@nestjs\/platform-|@nestjs\/terminus|nestjs-pino|pino|better-sqlite3|mysql2|@nestjs\/config)/;
// UserSync's optional peers (src/user-sync/peer-dependencies.ts): AlbAuth and the testing helpers load none.
const USER_SYNC_ONLY = new Set(['@nestjs/typeorm', 'typeorm', 'class-validator', 'class-transformer', '@nestjs/mapped-types', 're2', 'cron', 'scim-patch', 'scim2-parse-filter', 'unicode-confusables', '@nestjs/schedule']);

function build() {
  rmSync(DIST, { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.package.json')], { cwd: ROOT, stdio: 'inherit' });
  if (compiled.status !== 0) process.exit(compiled.status ?? 1);
  copyFileSync(join(ROOT, 'LICENSE'), join(PACKAGE, 'LICENSE'));
}

/**
 * The package README's tarball line, from what `npm pack` would pack now (twice: the line's own
 * length counts). The README is packages/nestjs/README.md itself, committed with the line.
 */
function writeTarballFigures() {
  const readme = join(PACKAGE, 'README.md');
  for (let pass = 0; pass < 2; pass++) {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE, encoding: 'utf8' });
    if (packed.status !== 0) {
      console.error(packed.stderr);
      process.exit(1);
    }
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
    const line = `\`${manifest.name}\` ${manifest.version}: about ${Math.round(info.size / 1024)} kB packed, ${Math.round(info.unpackedSize / 1024)} kB unpacked, ${info.entryCount} files.`;
    const text = readFileSync(readme, 'utf8');
    const next = text.replace(/(<!-- tarball: [^>]*-->\n)[^]*?(<!-- \/tarball -->)/, `$1${line}\n$2`);
    if (next === text) return;
    writeFileSync(readme, next);
  }
}

/** Every package the code reachable from `entry` requires, by the file that requires it. */
function requiredPackages(entry) {
  const seen = new Set();
  const packages = new Map();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, name] of source.matchAll(/require\(["']([^"']+)["']\)/g)) {
      if (name.startsWith('.')) {
        const target = resolve(dirname(file), name);
        visit(existsSync(`${target}.js`) ? `${target}.js` : join(target, 'index.js'));
        continue;
      }
      if (name.startsWith('node:') || builtinModules.includes(name)) continue;
      const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
      packages.set(pkg, [...(packages.get(pkg) ?? []), file.slice(DIST.length + 1)]);
    }
  };
  visit(join(DIST, entry));
  return packages;
}

function check() {
  const problems = [];
  for (const entry of ['index.js', 'alb-auth/index.js', 'testing/index.js', 'alb-auth/verifier/alb-verify.worker.js']) {
    for (const [pkg, files] of requiredPackages(entry)) {
      if (!DECLARED.has(pkg)) problems.push(`${files[0]} requires ${pkg}, which packages/nestjs/package.json does not declare`);
      if (SERVICE_ONLY.test(pkg)) problems.push(`${files[0]} requires ${pkg}, which only the reference service may use`);
      if (entry !== 'index.js' && USER_SYNC_ONLY.has(pkg)) problems.push(`the ${entry} entry point reaches ${pkg} (${files[0]}), one of UserSync's optional peers; it must load without them`);
      if (entry.endsWith('.worker.js') && pkg !== 'aws-jwt-verify') problems.push(`the verify thread (${entry}) loads ${pkg} (${files[0]}); each thread must load aws-jwt-verify alone`);
    }
  }
  if (problems.length) {
    console.error(`packages/nestjs: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
}

build();
check();
writeTarballFigures();
console.log(`packages/nestjs: built ${manifest.name}@${manifest.version} into packages/nestjs/dist`);
