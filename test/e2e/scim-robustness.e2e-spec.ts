import fc from 'fast-check';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enableJit } from '../support/admin-client';
import { assertStatus } from '../support/http';
import { assertScimError, eqFilter, GROUP_SCHEMA, listed, patchOp, ScimCall, scimClient, USER_SCHEMA } from '../support/scim-client';
import { useTestStack } from '../support/test-stack';

const PROTOTYPE_KEYS_BEFORE = Object.getOwnPropertyNames(Object.prototype).sort();
const prototypeUntouched = () => {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTOTYPE_KEYS_BEFORE);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(typeof ({} as object).toString, 'function');
};

/** A resource as stored: `meta.location` carries the host supertest happened to listen on. */
const stored = (body: { meta?: Record<string, unknown> }) => ({ ...body, meta: { ...body.meta, location: undefined } });

/** Paths that name a prototype, in the positions and spellings a PATCH path allows. */
const PROTOTYPE_PATHS = [
  '__proto__',
  '__PROTO__',
  '__proto__.polluted',
  '__proto__.toString',
  'constructor',
  'constructor.prototype',
  'constructor.prototype.polluted',
  'prototype',
  'name.__proto__',
  'name.constructor',
  'urn:ietf:params:scim:schemas:core:2.0:User:__proto__',
  'urn:ietf:params:scim:schemas:core:2.0:Group:__proto__',
  'emails[type eq "work"].__proto__',
  'members[value eq "x"].__proto__',
  'emails[__proto__ eq "x"].value',
  'members[constructor pr]',
  '__proto__[value eq "x"]',
];

/** Everything a client can throw at PATCH, SCIM's own errors and the service's answers alike. */
describe('SCIM robustness: prototype paths, malformed requests, and a PATCH property', () => {
  const stack = useTestStack();
  let directoryId = '';
  let scim: ScimCall;
  let token = '';
  const users: Record<string, { id: string }> = {};
  const groups: Record<string, { id: string }> = {};
  const snapshot = async () => ({
    users: Object.fromEntries(await Promise.all(Object.entries(users).map(async ([name, user]) => [name, stored((await scim('get', `/Users/${user.id}`)).body)]))),
    groups: Object.fromEntries(await Promise.all(Object.entries(groups).map(async ([name, group]) => [name, stored((await scim('get', `/Groups/${group.id}`)).body)]))),
  });
  const stillUp = async () => {
    assertStatus(await stack.http.get('/health/live'), 200);
    assertStatus(await stack.http.get('/health'), 200);
    assertStatus(await stack.admin.get('/api/user-sync/directories'), 200);
    prototypeUntouched();
  };

  before(async () => {
    ({ directoryId } = await enableJit(stack.admin));
    ({ scim, token } = await scimClient(stack.http, stack.admin, directoryId, 'Fuzzed'));
    for (const name of ['target', 'bystander']) {
      const created = await scim('post', '/Users', { schemas: [USER_SCHEMA], userName: `${name}@example.com`, externalId: `sub-${name}`, name: { givenName: name, familyName: 'Example' }, emails: [{ value: `${name}@example.com`, type: 'work', primary: true }] });
      assertStatus(created, 201);
      users[name] = created.body;
    }
    for (const name of ['target-group', 'bystander-group']) {
      const created = await scim('post', '/Groups', { schemas: [GROUP_SCHEMA], displayName: name, members: [{ value: users.bystander.id }] });
      assertStatus(created, 201);
      groups[name] = created.body;
    }
  });

  it(`${PROTOTYPE_PATHS.length} prototype paths × add, replace, remove × User and Group: 400 invalidPath, nothing changed, the service up`, async () => {
    const before = await snapshot();
    for (const path of PROTOTYPE_PATHS) {
      for (const op of ['add', 'Replace', 'remove']) {
        for (const resource of [`/Users/${users.target.id}`, `/Groups/${groups['target-group'].id}`]) {
          const response = await scim('patch', resource, patchOp({ op, path, value: { polluted: 'yes', toString: 'broken' } }));
          assertScimError(response, 400, 'invalidPath');
        }
      }
    }
    assert.deepEqual(await snapshot(), before);
    await stillUp();
  });

  it('value keys and body keys naming a prototype, at any depth: 400, nothing changed', async () => {
    const before = await snapshot();
    const raw = (method: 'post' | 'put' | 'patch', path: string, json: string) =>
      stack.http[method](`/scim/v2${path}`).set('authorization', `Bearer ${token}`).set('content-type', 'application/scim+json').send(json);
    const user = `/Users/${users.target.id}`;
    const group = `/Groups/${groups['target-group'].id}`;
    for (const [method, path, json] of [
      ['patch', user, JSON.stringify(patchOp({ op: 'add', value: { constructor: { prototype: { polluted: 'yes' } } } }))],
      ['patch', user, JSON.stringify(patchOp({ op: 'replace', path: 'name', value: { prototype: { polluted: 'yes' } } }))],
      ['patch', user, `{"Operations":[{"op":"add","value":{"__proto__":{"polluted":"yes"}}}]}`],
      // scim-patch walks a dotted or colon key segment by segment: `constructor.prototype.x` would reach Object.prototype.
      ['patch', user, JSON.stringify(patchOp({ op: 'add', path: 'name', value: { 'constructor.prototype.polluted': 'yes' } }))],
      ['patch', user, JSON.stringify(patchOp({ op: 'replace', value: { name: { 'constructor.prototype.polluted': 'yes' } } }))],
      ['patch', user, JSON.stringify(patchOp({ op: 'replace', path: 'emails[type eq "work"]', value: { 'constructor.prototype.polluted': 'yes' } }))],
      ['patch', user, JSON.stringify(patchOp({ op: 'add', value: { 'x:constructor.prototype.polluted': 'yes' } }))],
      ['patch', user, JSON.stringify(patchOp({ op: 'add', path: 'name', value: { 'givenName.constructor': 'yes' } }))],
      ['patch', user, `{"Operations":[{"op":"replace","path":"emails","value":[{"value":"a@b.c","__proto__":{"polluted":"yes"}}]}]}`],
      ['patch', group, `{"Operations":[{"op":"add","path":"members","value":[{"value":"x","constructor":{"prototype":{"polluted":"yes"}}}]}]}`],
      ['put', user, `{"userName":"target@example.com","externalId":"sub-target","name":{"__proto__":{"polluted":"yes"}}}`],
      ['post', '/Users', `{"userName":"new@example.com","constructor":{"prototype":{"polluted":"yes"}}}`],
      ['post', '/Groups', `{"displayName":"new-group","members":[{"value":"x","__proto__":{"polluted":"yes"}}]}`],
    ] as const) {
      const response = await raw(method, path, json);
      assertScimError(response, 400);
    }
    assert.deepEqual(await snapshot(), before);
    listed(await scim('get', `/Users?${eqFilter('userName', 'new@example.com')}`), 0);
    listed(await scim('get', `/Groups?${eqFilter('displayName', 'new-group')}`), 0);
    await stillUp();
  });

  it('filters naming a prototype are 400 invalidFilter', async () => {
    for (const filter of ['__proto__ eq "x"', 'constructor pr', 'userName eq "a" or name.__proto__ pr', 'emails[prototype eq "x"]', 'urn:x.__proto__:userName eq "a"', 'emails[type eq "w" and value.constructor pr]']) {
      assertScimError(await scim('get', `/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
      assertScimError(await scim('get', `/Groups?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
    }
    await stillUp();
  });

  it('answers every error in the SCIM Error schema: bad JSON, a body over the limit, another content type, repeated parameters', async () => {
    const send = (contentType: string, body: string) => stack.http.post('/scim/v2/Users').set('authorization', `Bearer ${token}`).set('content-type', contentType).send(body);
    assertScimError(await send('application/scim+json', '{"userName":'), 400, 'invalidSyntax');
    assertScimError(await send('application/json', 'not json'), 400, 'invalidSyntax');
    assertScimError(await send('application/scim+json', JSON.stringify({ userName: 'big@example.com', padding: 'a'.repeat(1_100_000) })), 413);
    assertScimError(await send('text/plain', 'userName=x'), 415);
    assertScimError(await scim('get', `/Users?${eqFilter('userName', 'a')}&${eqFilter('userName', 'b')}`), 400, 'invalidSyntax');
    assertScimError(await scim('get', '/Users?count=1&count=2'), 400, 'invalidSyntax');
    assertScimError(await scim('get', '/Groups?excludedAttributes=members&excludedAttributes=members'), 400, 'invalidSyntax');
    assertScimError(await scim('get', '/Nowhere'), 404);
    listed(await scim('get', `/Users?${eqFilter('userName', 'big@example.com')}`), 0);
  });

  it('paging as RFC 7644 §3.4.2.4 reads it: count capped at 1000, below 0 is 0, startIndex below 1 is 1, not a number is 400', async () => {
    const page = await scim('get', '/Users?count=1000000000');
    assert.equal(page.body.itemsPerPage, 2);
    assert.equal((await scim('get', '/Users?count=-5')).body.itemsPerPage, 0);
    assert.equal((await scim('get', '/Users?startIndex=-3&count=1')).body.startIndex, 1);
    assertScimError(await scim('get', '/Users?count=1e9'), 400, 'invalidValue');
    assertScimError(await scim('get', '/Users?startIndex=two'), 400, 'invalidValue');
  });

  it('active takes booleans and "True"/"False" only, and cannot be removed', async () => {
    const user = `/Users/${users.target.id}`;
    for (const value of [0, 1, {}, null, 'yes', []]) {
      assertScimError(await scim('patch', user, patchOp({ op: 'replace', path: 'active', value })), 400, 'invalidValue');
      assertScimError(await scim('patch', user, patchOp({ op: 'replace', value: { active: value } })), 400, 'invalidValue');
    }
    assertScimError(await scim('patch', user, patchOp({ op: 'remove', path: 'active' })), 400, 'invalidValue');
    assertScimError(await scim('put', user, { userName: 'target@example.com', externalId: 'sub-target', active: 'no' }), 400, 'invalidValue');
    assert.equal((await scim('get', user)).body.active, true);
    assert.equal((await scim('patch', user, patchOp({ op: 'replace', path: 'active', value: 'FALSE' }))).body.active, false);
    assert.equal((await scim('patch', user, patchOp({ op: 'replace', path: 'active', value: true }))).body.active, true);
  });

  it('takes the scheme "bearer" in any case (RFC 6750); a wrong token is 401 in the SCIM shape', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      assertStatus(await stack.http.get('/scim/v2/Users').set('authorization', `${scheme} ${token}`), 200);
    }
    assertScimError(await stack.http.get('/scim/v2/Users').set('authorization', `Basic ${token}`), 401);
    assertScimError(await stack.http.get('/scim/v2/Users').set('authorization', `Bearer ${'x'.repeat(43)}`), 401);
  });

  it('property: random operations over random paths and values never answer 500, never touch a prototype, and change only the targeted resource', async () => {
    const segment = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'userName', 'displayName', 'name', 'givenName', 'familyName', 'formatted', 'emails', 'value', 'type', 'primary', 'active', 'externalId', 'members', 'display', 'id', 'meta', 'title', 'polluted', 'x');
    const filterText = fc.tuple(segment, fc.constantFrom('eq', 'ne', 'co', 'sw', 'pr'), fc.constantFrom('"work"', '"x"', 'true', '1')).map(([attribute, op, value]) => (op === 'pr' ? `${attribute} pr` : `${attribute} ${op} ${value}`));
    const schemaPrefix = fc.constantFrom('', 'urn:ietf:params:scim:schemas:core:2.0:User:', 'urn:ietf:params:scim:schemas:core:2.0:Group:', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:', 'urn:other:');
    const path = fc.oneof(
      segment,
      fc.tuple(schemaPrefix, segment, fc.option(filterText, { nil: undefined }), fc.option(segment, { nil: undefined })).map(
        ([prefix, attribute, filter, sub]) => `${prefix}${attribute}${filter === undefined ? '' : `[${filter}]`}${sub === undefined ? '' : `.${sub}`}`,
      ),
      fc.string({ maxLength: 40 }),
    );
    const leaf = fc.oneof(fc.string({ maxLength: 20 }), fc.boolean(), fc.integer(), fc.constant(null), fc.constantFrom('True', 'False', 'x@example.com'));
    // Keys as libraries read them: single names, and dotted or colon paths of names.
    const key = fc.oneof(segment, fc.array(segment, { minLength: 2, maxLength: 4 }).chain((parts) => fc.constantFrom('.', ':').map((separator) => parts.join(separator))));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
    })).node;
    const randomOperation = fc.record(
      { op: fc.constantFrom('add', 'Add', 'replace', 'Replace', 'remove', 'Remove', 'move'), path: fc.option(path, { nil: undefined }), value: fc.option(value, { nil: undefined }) },
      { requiredKeys: ['op'] },
    );
    // Operations the schema accepts, so that properties are checked on applied patches too, not only on refusals.
    const validOperation = fc.record({ op: fc.constantFrom('replace', 'Replace', 'add'), path: fc.constant('displayName'), value: fc.stringMatching(/^[a-z][a-z0-9 ]{0,18}[a-z0-9]$/) });
    const operation = fc.oneof(randomOperation, validOperation);
    const bystanders = async () => ({
      user: stored((await scim('get', `/Users/${users.bystander.id}`)).body),
      group: stored((await scim('get', `/Groups/${groups['bystander-group'].id}`)).body),
    });
    const before = await bystanders();
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('user', 'group'), fc.array(operation, { minLength: 1, maxLength: 4 }), async (kind, operations) => {
        const target = kind === 'user' ? `/Users/${users.target.id}` : `/Groups/${groups['target-group'].id}`;
        const previous = stored((await scim('get', target)).body);
        const response = await scim('patch', target, patchOp(...operations));
        assert.ok(response.status < 500, `${response.status} for ${JSON.stringify(operations)}: ${response.text}`);
        if (response.status >= 400) {
          assertScimError(response, response.status);
          assert.deepEqual(stored((await scim('get', target)).body), previous, 'a refused PATCH changes nothing');
        } else answered++;
        prototypeUntouched();
        assertStatus(await stack.http.get('/health/live'), 200);
        assert.deepEqual(await bystanders(), before, 'only the targeted resource changes');
      }),
      { numRuns: 250 },
    );
    assert.ok(answered > 0, 'some operations were applied');
    await stillUp();
  });
});
