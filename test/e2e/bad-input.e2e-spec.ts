import { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { AdminClient, adminClient, enableJit } from '../support/admin-client';
import { encode, TEST_ALB } from '../support/alb-test-signer';
import { useTestStack } from '../support/test-stack';

/** Every answer to bad input is a 4xx in the contract's JSON: never a 500, never a crash. */
function assertClientError(response: request.Response, context: unknown): void {
  const where = `${JSON.stringify(context).slice(0, 300)} → ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
  assert.ok(response.status >= 400 && response.status < 500, where);
  assert.equal(typeof response.body.code, 'string', where);
  assert.equal(response.body.statusCode, response.status, where);
  assert.equal(typeof response.body.message, 'string', where);
}

const json = fc.jsonValue({ maxDepth: 4 });
const anything = fc.oneof(json, fc.string({ unit: 'grapheme' }), fc.integer(), fc.constant(null), fc.array(json));

describe('Bad input at volume (fast-check)', () => {
  const stack = useTestStack();
  const { signer, keys } = stack;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let admin: AdminClient;
  let connectorId: string;
  let directoryId: string;

  before(async () => {
    ({ app, http, admin } = stack);
    ({ id: connectorId, directoryId } = await enableJit(admin, { name: 'Fuzzed' }));
  });

  it('answers raw token headers of random bytes, unicode and huge sizes with a 4xx', async () => {
    const header = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      fc.tuple(fc.string(), fc.string(), fc.string()).map((parts) => parts.map((part) => encode(Buffer.from(part))).join('.')),
      fc.integer({ min: 9_000, max: 30_000 }).map((size) => 'a'.repeat(size)),
    );
    await fc.assert(
      fc.asyncProperty(header, async (value) => {
        // Header values must be latin-1 without control characters to be sent at all.
        const sendable = Buffer.from(value, 'utf8').toString('latin1').replace(/[\x00-\x1f\x7f]/g, '');
        const response = await http.get('/api/me').set('x-amzn-oidc-data', sendable);
        if (sendable.trim() === '') assert.equal(response.body.code, 'TOKEN_MISSING');
        assertClientError(response, sendable.slice(0, 80));
      }),
      { numRuns: 150 },
    );
  });

  it('answers tokens with wrong types in their JSON segments with a 4xx', async () => {
    const headerFields = fc.record(
      { alg: anything, kid: anything, signer: anything, iss: anything, client: anything, exp: anything, typ: anything },
      { requiredKeys: [] },
    );
    const payloadFields = fc.record({ sub: anything, exp: anything, nbf: anything, iss: anything, email: anything }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(headerFields, payloadFields, fc.boolean(), async (header, payload, keepValidBase) => {
        const base = keepValidBase ? { alg: 'ES256', kid: signer.kid, signer: TEST_ALB.arn, iss: TEST_ALB.issuer, client: TEST_ALB.clientId } : {};
        const token = `${encode(Buffer.from(JSON.stringify({ ...base, ...header })))}.${encode(Buffer.from(JSON.stringify(payload)))}.${encode(Buffer.alloc(64, 1))}`;
        assertClientError(await http.get('/api/me').set('x-amzn-oidc-data', token), { header, payload });
      }),
      { numRuns: 150 },
    );
  });

  it('answers signed tokens with arbitrary claims with 200 or a 4xx, never a 500', async () => {
    const claims = fc.dictionary(fc.oneof(fc.constantFrom('sub', 'email', 'name', 'groups', 'upn'), fc.string()), anything, { maxKeys: 8 });
    await fc.assert(
      fc.asyncProperty(claims, async (extra) => {
        const response = await http.get('/api/me').set('x-amzn-oidc-data', signer.sign({ claims: { ...extra, iss: TEST_ALB.issuer } }));
        if (response.status !== 200) assertClientError(response, extra);
      }),
      { numRuns: 100 },
    );
  });

  it('answers random admin bodies with 2xx or a 4xx in the contract JSON', async () => {
    const routes: Array<[string, string]> = [
      ['post', '/api/user-sync/directories'],
      ['post', '/api/user-sync/connectors'],
      ['post', '/api/user-sync/connectors/import'],
      ['patch', `/api/user-sync/connectors/${connectorId}`],
      ['post', `/api/user-sync/connectors/${connectorId}/preview`],
      ['put', '/api/alb-auth/settings'],
      ['patch', `/api/user-sync/directories/${directoryId}`],
      ['post', `/api/user-sync/directories/${directoryId}/groups`],
    ];
    const body = fc.oneof(
      fc.dictionary(
        fc.constantFrom('name', 'mappings', 'groups', 'users', 'directoryId', 'createDirectory', 'enabled', 'claims', 'userSync', 'accessGroups', 'logout', 'position', 'active', 'type', 'primaryKey'),
        anything,
      ),
      fc.record({
        name: fc.string({ maxLength: 300 }),
        createDirectory: fc.constant(true),
        mappings: fc.array(
          fc.record(
            {
              attribute: fc.oneof(fc.constantFrom('username', 'email', 'groups', 'displayName', 'attributes.x'), fc.string()),
              sources: fc.oneof(fc.array(fc.string()), anything),
              template: anything,
              transformations: fc.array(fc.oneof(fc.record({ type: fc.constantFrom('regexReplace', 'map', 'substring', 'split', 'filter', 'nope'), pattern: fc.string(), start: anything, values: anything, separator: anything }), anything)),
              onNoMatch: anything,
            },
            { requiredKeys: ['attribute'] },
          ),
          { maxLength: 4 },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async ([method, url], payload) => {
        const response = await (admin as unknown as Record<string, (url: string, body: object) => request.Test>)[method](url, payload as object);
        if (response.status >= 300) assertClientError(response, { method, url, payload });
      }),
      { numRuns: 200 },
    );
    // Whatever was accepted above, the service still works.
    const settings = await admin.get('/api/alb-auth/settings');
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    assert.equal(typeof settings.body.usernameClaim, 'string');
  });

  it('refuses null for a field a PATCH may leave out (found by the property above)', async () => {
    assertClientError(await admin.patch(`/api/user-sync/directories/${directoryId}`, { name: null }), 'name null');
    assertClientError(await admin.patch(`/api/user-sync/connectors/${connectorId}`, { mappings: null, name: null }), 'connector nulls');
    assertClientError(await admin.put('/api/alb-auth/settings', { usernameClaim: null }), 'settings null');
  });

  it('answers malformed JSON and wrong content types with 400', async () => {
    const response = await admin.post('/api/user-sync/directories', {}).set('content-type', 'application/json').send('{"name":');
    assertClientError(response, 'malformed JSON');
    const huge = await admin.post('/api/user-sync/directories', { name: 'x'.repeat(200_000) });
    assertClientError(huge, 'huge body');
  });
});

describe('Every answer carries its request id (x-request-id), on either adapter', () => {
  const stack = useTestStack();

  it('a success, a 404, a 401, a malformed URL and a 400 without Host all name their id; an incoming sane id is kept', async () => {
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const paths = ['/health/live', '/no/such/route', '/api/me', '/api/user-sync/directories/%E0%A4%A'];
    const answers = [];
    for (const path of paths) answers.push(await stack.http.get(path));
    answers.forEach((answer, index) => {
      const id = answer.headers['x-request-id'];
      assert.match(String(id), UUID, `${answer.status} ${paths[index]}`);
      if (answer.status >= 400) assert.equal(answer.body.requestId, id, `${answer.status} ${paths[index]}: body and header name the same id`);
    });
    assert.deepEqual(answers.map((answer) => answer.status), [200, 404, 401, 400]);
    const kept = await stack.http.get('/health/live').set('x-request-id', 'from-the-alb-1');
    assert.equal(kept.headers['x-request-id'], 'from-the-alb-1');

    const server = stack.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = require('node:net').connect(port, '127.0.0.1', () => socket.end('GET /health/live HTTP/1.1\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 400/);
    assert.match(raw, /x-request-id: [0-9a-f-]{36}\r\n/i);
  });
});
