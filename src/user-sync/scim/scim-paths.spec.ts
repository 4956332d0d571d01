import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyGroupOperations, applyUserOperations, readOperations } from './scim-patch-ops';
import { ScimError } from './scim-error';
import { parseFilter } from './scim-filter';
import { parsePath, safeJson } from './scim-paths';

const refused = (run: () => unknown, scimType: string) =>
  assert.throws(run, (error: unknown) => error instanceof ScimError && error.status === 400 && error.scimType === scimType, `expected 400 ${scimType}`);

describe('SCIM paths', () => {
  const accepted: Array<[kind: 'User' | 'Group', path: string, text: string, kept: boolean]> = [
    ['User', 'userName', 'userName', true],
    ['User', 'USERNAME', 'userName', true],
    ['User', 'name.givenName', 'name.givenName', true],
    ['User', 'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName', 'name.familyName', true],
    ['User', 'emails[type eq "work"].value', 'emails[type eq "work"].value', true],
    ['User', 'Emails[Type eq "work"].Value', 'emails[type eq "work"].value', true],
    ['User', 'externalId', 'externalId', true],
    ['User', 'active', 'active', true],
    ['User', 'title', 'title', false],
    ['User', 'phoneNumbers[type eq "work"].value', 'phoneNumbers[type eq "work"].value', false],
    ['User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', false],
    ['Group', 'members', 'members', true],
    ['Group', 'members[value eq "2819c223"]', 'members[value eq "2819c223"]', true],
    ['Group', 'displayName', 'displayName', true],
    ['Group', 'externalId', 'externalId', false],
  ];
  for (const [kind, path, text, kept] of accepted) {
    it(`${kind} ${path} → ${text}${kept ? '' : ' (ignored)'}`, () => {
      const parsed = parsePath(path, kind);
      assert.equal(parsed.text, text);
      assert.equal(parsed.kept, kept);
    });
  }

  const prototypes = [
    '__proto__',
    '__PROTO__',
    'constructor',
    'constructor.prototype',
    'Prototype',
    'name.__proto__',
    'name.constructor',
    'urn:ietf:params:scim:schemas:core:2.0:User:__proto__',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:__proto__',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.constructor',
    'emails[type eq "work"].__proto__',
    'emails[__proto__ eq "x"].value',
    'emails[constructor pr].value',
    '__proto__[value eq "x"]',
    'emails.__proto__.polluted',
    'emails[foo[constructor.prototype pr]]',
    'emails[type eq "w" and value.constructor pr].value',
    'roles[value.__proto__ eq "x"]',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.constructor.prototype',
  ];
  for (const path of prototypes) {
    it(`refuses ${path} with 400 invalidPath`, () => {
      refused(() => parsePath(path, 'User'), 'invalidPath');
      refused(() => parsePath(path.replace('emails', 'members'), 'Group'), 'invalidPath');
    });
  }

  it('refuses attributes outside the schema, unknown schemas, sub-attributes that do not exist, and filters on single values', () => {
    for (const path of ['nope', 'name.nope', 'urn:example:Custom:userName', 'userName[value eq "x"]', 'emails[nope eq "x"].value', 'a b', '', 'emails[type eq "work"']) {
      refused(() => parsePath(path, 'User'), 'invalidPath');
    }
  });

  it('list filters: prototype names refused as invalidFilter, anywhere in the expression', () => {
    for (const filter of [
      '__proto__ eq "x"',
      'userName eq "a" or constructor pr',
      'emails[prototype eq "x"]',
      'not (name.__proto__ pr)',
      'urn:ietf:params:scim:schemas:core:2.0:User:constructor eq "x"',
      'urn:x.__proto__:userName eq "a"',
      'urn:a.constructor.prototype:userName pr',
      'emails[type eq "w" and value.constructor pr]',
    ]) {
      refused(() => parseFilter(filter), 'invalidFilter');
    }
    assert.ok(parseFilter('userName eq "a" and emails[type eq "work"]'));
  });

  it('value keys naming a prototype are refused at any depth, whole or as a segment; the copy has no prototype', () => {
    refused(() => safeJson(JSON.parse('{"a":{"b":[{"__proto__":{"x":1}}]}}')), 'invalidPath');
    refused(() => safeJson({ constructor: { prototype: { x: 1 } } }), 'invalidPath');
    refused(() => safeJson({ name: { 'constructor.prototype.polluted': 'yes' } }), 'invalidPath');
    refused(() => safeJson({ 'x:constructor.prototype.x': 1 }), 'invalidPath');
    const copy = safeJson({ name: { givenName: 'a' } }) as Record<string, Record<string, string>>;
    assert.equal(Object.getPrototypeOf(copy), null);
    assert.equal(Object.getPrototypeOf(copy.name), null);
  });
});

describe('SCIM PATCH operations', () => {
  const group = { id: 'g1', displayName: 'team', members: [{ value: 'u1', display: 'alice' }, { value: 'u2', display: 'bob' }] };
  const apply = (...operations: object[]) => applyGroupOperations(group, readOperations({ Operations: operations }, 'Group'));
  const table: Array<[string, object[], { displayName: string; memberIds: string[] }]> = [
    ['Entra ID: Remove with a value list and $ref null', [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u1' }] }], { displayName: 'team', memberIds: ['u2'] }],
    ['Entra ID: Add with a value list', [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u3' }] }], { displayName: 'team', memberIds: ['u1', 'u2', 'u3'] }],
    ['Okta: remove by a filter path', [{ op: 'remove', path: 'members[value eq "u2"]' }], { displayName: 'team', memberIds: ['u1'] }],
    ['remove by display', [{ op: 'remove', path: 'members[display eq "ALICE"]' }], { displayName: 'team', memberIds: ['u2'] }],
    ['remove every member', [{ op: 'remove', path: 'members' }], { displayName: 'team', memberIds: [] }],
    ['replace the members', [{ op: 'replace', path: 'members', value: [{ value: 'u9' }] }], { displayName: 'team', memberIds: ['u9'] }],
    ['Okta and Entra: path-less replace with the id repeated', [{ op: 'Replace', value: { id: 'g1', displayName: 'renamed' } }], { displayName: 'renamed', memberIds: ['u1', 'u2'] }],
    ['a schema-qualified path', [{ op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName', value: 'x' }], { displayName: 'x', memberIds: ['u1', 'u2'] }],
    ['externalId is accepted and ignored', [{ op: 'add', path: 'externalId', value: 'e-1' }], { displayName: 'team', memberIds: ['u1', 'u2'] }],
  ];
  for (const [name, operations, expected] of table) {
    it(name, () => assert.deepEqual(apply(...operations), expected));
  }

  it('refuses what cannot be applied, before anything is', () => {
    refused(() => apply({ op: 'replace', value: { id: 'other' } }), 'mutability');
    refused(() => apply({ op: 'remove' }), 'noTarget');
    refused(() => apply({ op: 'move', path: 'members' }), 'invalidSyntax');
    refused(() => apply({ op: 'add', path: 'members', value: [{ display: 'no value' }] }), 'invalidValue');
    refused(() => apply({ op: 'add', path: 'members[value eq "u1"]', value: [{ value: 'u1' }] }), 'invalidPath');
    refused(() => apply({ op: 'remove', path: 'displayName' }), 'invalidValue');
    refused(() => apply({ op: 'replace', path: 'members.value', value: 'x' }), 'invalidPath');
    refused(() => readOperations({ Operations: [] }, 'Group'), 'invalidSyntax');
    refused(() => readOperations({ Operations: 'x' }, 'Group'), 'invalidSyntax');
  });
});

describe('SCIM PATCH on a User (scim-patch, on checked paths)', () => {
  const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u1', userName: 'a', name: { formatted: 'A' } as Record<string, string>, displayName: 'A', emails: [] as object[], active: true };
  const apply = (...operations: object[]) => applyUserOperations(user, readOperations({ Operations: operations }, 'User'));

  it('Entra ID adds emails[type eq "work"].value to a user without one', () => {
    assert.deepEqual(apply({ op: 'Add', path: 'emails[type eq "work"].value', value: 'a@example.com' }).emails, [{ type: 'work', value: 'a@example.com' }]);
  });

  it('ignored attributes change nothing; the resource given is not modified', () => {
    assert.deepEqual(apply({ op: 'Add', path: 'title', value: 'x' }, { op: 'replace', value: { nickName: 'n', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'd' } } }), user);
    apply({ op: 'replace', path: 'displayName', value: 'B' });
    assert.equal(user.displayName, 'A');
  });

  it("values take the schema's shape: sub-attribute keys only, plain values where one is due", () => {
    assert.equal(apply({ op: 'replace', path: 'name', value: { GIVENNAME: 'G' } }).name.givenName, 'G');
    refused(() => apply({ op: 'replace', path: 'name', value: { nickname: 'x' } }), 'invalidPath');
    refused(() => apply({ op: 'replace', path: 'emails[type eq "work"]', value: { other: 'x' } }), 'invalidPath');
    refused(() => apply({ op: 'replace', path: 'userName', value: { a: 1 } }), 'invalidValue');
    refused(() => apply({ op: 'replace', path: 'name.givenName', value: ['x'] }), 'invalidValue');
    refused(() => apply({ op: 'add', value: { emails: [{ value: 'a@b.c', nested: { x: 1 } }] } }), 'invalidPath');
  });

  it('canonical spelling reaches scim-patch: USERNAME is userName', () => {
    assert.equal(apply({ op: 'replace', path: 'USERNAME', value: 'b' }).userName, 'b');
  });
});
