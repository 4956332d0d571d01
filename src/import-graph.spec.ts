import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

/**
 * Arrows run one way (../shared/LAYOUT.md, docs/layout.md): a room may import the rooms below it,
 * never one above. The graph is read by TypeScript's own pre-processor (every import, `import type`
 * and re-export included), not by a grep.
 */
const SRC = resolve(__dirname);

/** Rooms, highest first: the first prefix a file's path (from src/) starts with gives its rank. */
const ROOMS: Array<[prefix: string, rank: number]> = [
  ['main.ts', 100],
  ['app.module.ts', 100],
  ['app.setup.ts', 100],
  ['app-exception.filter.ts', 100],
  ['index.ts', 100],
  ['local-alb/', 90],
  ['admin-console/', 85],
  ['me/', 80],
  ['health/', 75],
  ['testing/', 70],
  ['config/', 65],
  ['user-sync/user-sync.module.ts', 60],
  ['user-sync/user-sync.module-definition.ts', 60],
  ['user-sync/admin-api/', 58],
  ['user-sync/scim/', 56],
  ['user-sync/auth/', 55],
  ['user-sync/lifecycle/', 54],
  ['user-sync/login/', 52],
  ['user-sync/mapping/', 50],
  ['user-sync/config/', 48],
  ['user-sync/store/', 46],
  ['user-sync/identity/', 44],
  ['user-sync/', 43],
  ['alb-auth/', 40],
  ['http/', 30],
  ['database/', 20],
  ['common/', 10],
];

export function rankOf(file: string): { room: string; rank: number } {
  for (const [prefix, rank] of ROOMS) if (file === prefix || file.startsWith(prefix)) return { room: prefix, rank };
  throw new Error(`${file} is in no room: add it to ROOMS`);
}

/** The arrows that point up: from a room to a higher one. */
export function upwardArrows(edges: Array<[from: string, to: string]>): string[] {
  return edges.filter(([from, to]) => rankOf(to).rank > rankOf(from).rank).map(([from, to]) => `${from} → ${to}`);
}

function sources(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, found);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(`${relative(SRC, from)} imports ${specifier}, which resolves to no file`);
}

/** Every relative import between files of src/, as [from, to] paths relative to src/. */
function importGraph(): Array<[string, string]> {
  const edges: Array<[string, string]> = [];
  for (const file of sources(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const imported of importedFiles) {
      const target = resolveImport(file, imported.fileName);
      if (target && target.endsWith('.ts')) edges.push([relative(SRC, file), relative(SRC, target)]);
    }
  }
  return edges;
}

describe('the import graph: arrows run one way', () => {
  const edges = importGraph();

  it('reads the graph: every source file is in a room, and the graph is not empty', () => {
    assert.ok(edges.length > 300, `${edges.length} imports`);
    for (const [from, to] of edges) {
      rankOf(from);
      rankOf(to);
    }
  });

  it('has no arrow pointing up (config ↔ alb-auth, database → user-sync, a user-sync layer → one above it…)', () => {
    assert.deepEqual(upwardArrows(edges), []);
  });

  it('would see one: an arrow added on purpose is reported', () => {
    assert.deepEqual(upwardArrows([...edges, ['database/data-source-options.ts', 'user-sync/store/entities.ts'], ['alb-auth/alb.strategy.ts', 'config/app-config.ts']]), [
      'database/data-source-options.ts → user-sync/store/entities.ts',
      'alb-auth/alb.strategy.ts → config/app-config.ts',
    ]);
  });
});
