import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ERROR_STATUS } from '../../src/common/errors/error-code.enum';
import { AUDIT_TYPES } from '../../src/user-sync/admin-api/audit/audit-query.dto';
import { scimAttributes } from '../../src/user-sync/scim/scim-paths';
import { API_SCHEMA_FILE, renderApiSchema } from '../support/api-schema';
import { assertStatus } from '../support/http';
import { useTestStack } from '../support/test-stack';

const ROOT = join(__dirname, '../..');
const DOCS = join(ROOT, 'docs');
const read = (file: string) => readFileSync(join(DOCS, file), 'utf8');

/** The first cell of each row of the markdown table under a heading (`code` spans only). */
function firstCells(file: string, heading: string): Map<string, string[]> {
  const text = read(file);
  const start = text.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `${file} has a section "${heading}"`);
  const rows = new Map<string, string[]>();
  const lines = text.slice(start + heading.length + 2).split('\n');
  let inTable = false;
  for (const line of lines) {
    if (line.startsWith('#')) break;
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
    const key = /^`([^`]+)`$/.exec(cells[0]);
    if (key) rows.set(key[1], cells.slice(1));
  }
  return rows;
}

function assertSameSet(documented: Iterable<string>, actual: Iterable<string>, what: string): void {
  const docs = new Set(documented);
  const code = new Set(actual);
  const undocumented = [...code].filter((item) => !docs.has(item)).sort();
  const stale = [...docs].filter((item) => !code.has(item)).sort();
  assert.deepEqual({ undocumented, stale }, { undocumented: [], stale: [] }, `${what}: undocumented ones exist in the code but not in docs/, stale ones the other way round`);
}

/** Every route Nest serves, as `METHOD /path/:param`, from the controllers' own metadata. */
function servedRoutes(discovery: DiscoveryService, scanner: MetadataScanner): string[] {
  const routes: string[] = [];
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as unknown as { prototype: object } | undefined;
    if (!type?.prototype) continue;
    const base = [Reflect.getMetadata(PATH_METADATA, type) ?? ''].flat() as string[];
    for (const name of scanner.getAllMethodNames(type.prototype)) {
      const handler = (type.prototype as Record<string, unknown>)[name] as object;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (paths === undefined || method === undefined) continue;
      for (const prefix of base) {
        for (const path of [paths].flat()) {
          const joined = `/${[prefix, path].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
          routes.push(`${RequestMethod[method]} ${joined}`);
        }
      }
    }
  }
  return routes;
}

describe('Reference docs (docs/) against the code and the OpenAPI document', () => {
  const stack = useTestStack();

  it('docs/routes.md lists every route the service serves and the OpenAPI document describes, and no other', async () => {
    const documented = firstCells('routes.md', '## Routes');
    assertSameSet(documented.keys(), servedRoutes(new DiscoveryService(stack.app.get(ModulesContainer)), new MetadataScanner()), 'routes');
    const openApi = await stack.http.get('/api/docs-json');
    assertStatus(openApi, 200);
    const described = Object.entries(openApi.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const missing = described.filter((route) => !documented.has(route));
    assert.deepEqual(missing, [], 'OpenAPI operations missing from docs/routes.md');
  });

  it("the console's API types (web/admin/src/api-schema.ts) are openapi-typescript's reading of the OpenAPI document as it is now", async () => {
    const openApi = await stack.http.get('/api/docs-json');
    assertStatus(openApi, 200);
    const generated = await renderApiSchema(openApi.body);
    // `npm run api:types`: this test writes the file instead of comparing.
    if (process.env.WRITE_API_TYPES === '1') writeFileSync(API_SCHEMA_FILE, generated);
    assert.ok(generated.includes('ConnectorView: {'), 'the document describes the admin API\'s answers');
    assert.equal(readFileSync(API_SCHEMA_FILE, 'utf8'), generated, 'web/admin/src/api-schema.ts is stale: run npm run api:types');
  });

  it('serves /api/docs and /api/docs-json with a Content-Security-Policy, no framing and nosniff, as /admin', async () => {
    for (const path of ['/api/docs', '/api/docs-json']) {
      const response = await stack.http.get(path);
      assertStatus(response, 200);
      assert.match(response.headers['content-security-policy'] ?? '', /default-src 'self'; script-src 'self';/, path);
      assert.match(response.headers['content-security-policy'] ?? '', /frame-ancestors 'none'/, path);
      assert.equal(response.headers['x-frame-options'], 'DENY', path);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', path);
    }
    assert.equal((await stack.http.get('/api/me')).headers['x-frame-options'], undefined, 'the API answers are left alone');
  });

  it('docs/routes.md lists every error code with its status, and no other', () => {
    const documented = firstCells('routes.md', '## Error codes');
    assertSameSet(documented.keys(), Object.keys(ERROR_STATUS), 'error codes');
    for (const [code, status] of Object.entries(ERROR_STATUS)) assert.equal(documented.get(code)?.[0], String(status), `status of ${code}`);
  });

  it('docs/connectors.md lists every built-in transformation with its options, as GET /api/user-sync/transformations does', async () => {
    const documented = firstCells('connectors.md', '## Transformations');
    const listed = await stack.admin.get('/api/user-sync/transformations');
    assertStatus(listed, 200);
    const builtIn = ((listed.body.items ?? listed.body) as Array<{ type: string; builtIn?: boolean; options: Array<{ name: string }> }>).filter((spec) => spec.builtIn !== false);
    assertSameSet(documented.keys(), builtIn.map((spec) => spec.type), 'transformations');
    for (const spec of builtIn) {
      const options = [...(documented.get(spec.type)?.[0] ?? '').matchAll(/`(\w+)`/g)].map((match) => match[1]);
      assert.deepEqual(options.sort(), spec.options.map((option) => option.name).sort(), `options of ${spec.type}`);
    }
  });

  it('docs/scim.md lists every attribute a SCIM client may name, kept or ignored as the code says', () => {
    const documented = firstCells('scim.md', '## Attributes');
    const attributes = scimAttributes();
    assertSameSet(documented.keys(), attributes.map(({ kind, name }) => `${kind}.${name}`), 'SCIM attributes');
    for (const { kind, name, kept } of attributes) {
      const stored = documented.get(`${kind}.${name}`)?.[1] ?? '';
      assert.match(stored, name === 'id' ? /^read-only/ : kept ? /^kept/ : /^ignored/, `${kind}.${name}`);
    }
  });

  it('docs/audit-events.md lists every audit event type, and no other', () => {
    assertSameSet(firstCells('audit-events.md', '## Event types').keys(), AUDIT_TYPES, 'audit event types');
  });

  it('docs/configuration.md lists every environment variable the service reads, and no other', () => {
    const sources = readdirSync(join(ROOT, 'src/config')).filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'));
    const read = new Set<string>(['NODE_ENV']);
    for (const file of sources) {
      const text = readFileSync(join(ROOT, 'src/config', file), 'utf8');
      for (const match of text.matchAll(/\b(?:value|list|integer)\('([A-Z][A-Z0-9_]+)'/g)) read.add(match[1]);
      for (const match of text.matchAll(/^\s+(?:@\S+\([^\n]*\)\s+)*([A-Z][A-Z0-9_]+)\?: string;/gm)) read.add(match[1]);
    }
    assertSameSet(firstCells('configuration.md', '## Variables').keys(), read, 'environment variables');
  });

  it("the package's README (packages/nestjs/README.md, shipped in the tarball) prints the packaged host app's sources byte for byte, every one of them", () => {
    const readme = readFileSync(join(ROOT, 'packages/nestjs/README.md'), 'utf8');
    const start = readme.indexOf('\n## Use it in your Nest app\n');
    assert.ok(start >= 0, 'the package README has the section');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const printed = new Map<string, string>();
    for (const [, code] of section.matchAll(/```ts\n([\s\S]*?)```/g)) {
      const file = /^\/\/ (src\/[\w.-]+\.ts)\n/.exec(code)?.[1];
      if (file) printed.set(file, code);
    }
    const host = join(ROOT, 'test/package/host-app');
    const sources = readdirSync(join(host, 'src')).map((name) => `src/${name}`);
    assert.deepEqual([...printed.keys()].sort(), sources.sort(), 'every host source is printed, and only those');
    for (const file of sources) assert.equal(printed.get(file), readFileSync(join(host, file), 'utf8'), `${file} as printed in the package README`);
    assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /packages\/nestjs\/README\.md/, 'the README points to it');
  });
});
