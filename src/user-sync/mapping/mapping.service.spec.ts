import fc from 'fast-check';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Mapping } from '../store/connector.types';
import { MappingService } from './mapping.service';
import { TransformationRegistry } from './transformation-registry';

const service = new MappingService(new TransformationRegistry(null));
let version = 0;
const map = (mappings: Mapping[], claims: Record<string, unknown>) => service.map({ id: 'c', version: ++version, mappings }, claims);

describe('MappingService', () => {
  it('takes the first non-empty source, and says which it used', () => {
    const result = map([{ attribute: 'username', sources: ['upn', 'email'] }], { upn: '', email: 'a@b.c' });
    assert.equal(result.user.username, 'a@b.c');
    assert.ok(result.warnings.includes('claim upn missing, used email'));
  });

  it('looks a name up as a whole key first, then as a dot path', () => {
    const claims = { 'cognito:groups': ['x'], 'a.b': 'whole', a: { b: 'path', c: { d: 'deep' } } };
    assert.deepEqual(map([{ attribute: 'groups', sources: ['cognito:groups'] }], claims).groups, ['x']);
    assert.equal(map([{ attribute: 'email', sources: ['a.b'] }], claims).user.email, 'whole');
    assert.equal(map([{ attribute: 'email', sources: ['a.c.d'] }], claims).user.email, 'deep');
    assert.equal(map([{ attribute: 'email', sources: ['constructor.name'] }], claims).user.email, undefined);
  });

  it('fills a template from claims', () => {
    const result = map([{ attribute: 'displayName', template: '{given_name} {family_name}' }], { given_name: 'Ada', family_name: 'Lovelace' });
    assert.equal(result.user.displayName, 'Ada Lovelace');
    assert.equal(map([{ attribute: 'displayName', template: '{given_name} {x}' }], { given_name: 'Ada' }).user.displayName, 'Ada');
  });

  const fallback: Mapping = { attribute: 'displayName', template: '{given_name} {family_name}', sources: ['name', 'email'] };
  const fallbackCases: Array<[string, Record<string, unknown>, string | undefined, string | undefined]> = [
    ['the template when every claim it names has a value', { given_name: 'Ada', family_name: 'Lovelace', name: 'A. L.' }, 'Ada Lovelace', undefined],
    ['the sources when the template lacks a claim', { given_name: 'Ada', name: 'Ada L.' }, 'Ada L.', 'template {given_name} {family_name} incomplete, used name'],
    ['the sources when a claim of the template is blank', { given_name: 'Ada', family_name: ' ', name: 'Ada L.' }, 'Ada L.', 'template {given_name} {family_name} incomplete, used name'],
    ['the next source after the template and a missing one', { email: 'ada@example.com' }, 'ada@example.com', 'template {given_name} {family_name} incomplete, claim name missing, used email'],
    ['nothing when neither gives a value', { given_name: 'Ada' }, undefined, 'no value for displayName: template {given_name} {family_name}, then claim name, email missing or empty'],
  ];
  for (const [name, claims, expected, warning] of fallbackCases) {
    it(`falls back from a template to sources: ${name}`, () => {
      const result = map([fallback], claims);
      assert.equal(result.user.displayName, expected);
      if (warning) assert.ok(result.warnings.includes(warning), JSON.stringify(result.warnings));
      else assert.deepEqual(result.warnings, []);
    });
  }

  it('applies transformations in order, to each element of a list', () => {
    const result = map(
      [{ attribute: 'groups', sources: ['groups'], transformations: [{ type: 'lowercase' }, { type: 'prefix', value: 'g-' }] }],
      { groups: ['A', 'B', 'a'] },
    );
    assert.deepEqual(result.groups, ['g-a', 'g-b']);
  });

  it('tells an absent groups claim (undefined) from an empty one ([])', () => {
    const mapping: Mapping[] = [{ attribute: 'groups', sources: ['groups'] }];
    assert.equal(map(mapping, {}).groups, undefined);
    assert.deepEqual(map(mapping, { groups: [] }).groups, []);
    assert.deepEqual(map(mapping, { groups: 'solo' }).groups, ['solo']);
  });

  const regex = { type: 'regexReplace', pattern: '^idp-(.*)$', replacement: '$1' };
  const policies: Array<[string, Record<string, unknown>, (result: ReturnType<typeof map>) => void]> = [
    ['keep', { onNoMatch: 'keep' }, (r) => { assert.equal(r.user.email, 'other'); assert.deepEqual(r.groups, ['admins', 'other']); }],
    ['ignore', { onNoMatch: 'ignore' }, (r) => { assert.equal(r.user.email, undefined); assert.deepEqual(r.groups, ['admins']); }],
    ['clear', { onNoMatch: 'clear' }, (r) => { assert.equal(r.user.email, ''); assert.deepEqual(r.groups, []); }],
    ['reject', { onNoMatch: 'reject' }, (r) => { assert.ok(r.rejected); assert.equal(r.rejected?.attribute, 'email'); }],
  ];
  for (const [policy, options, check] of policies) {
    it(`onNoMatch ${policy}`, () => {
      const result = map(
        [
          { attribute: 'email', sources: ['e'], transformations: [regex], ...options },
          { attribute: 'groups', sources: ['g'], transformations: [regex], ...(policy === 'reject' ? {} : options) },
        ],
        { e: 'other', g: ['idp-admins', 'other'] },
      );
      check(result);
    });
  }

  it('fills an empty value with default, after the sources and earlier transformations', () => {
    const mapping: Mapping[] = [{ attribute: 'attributes.team', sources: ['team'], transformations: [{ type: 'trim' }, { type: 'default', value: 'none' }] }];
    assert.equal(map(mapping, { team: '  ' }).attributes.team, 'none');
    assert.equal(map(mapping, { team: ' red ' }).attributes.team, 'red');
  });

  it('records update policies', () => {
    const result = map([{ attribute: 'email', sources: ['e'], update: 'onCreate' }, { attribute: 'username', sources: ['e'] }], { e: 'x' });
    assert.deepEqual(result.policies, { email: 'onCreate', username: 'always' });
  });

  it('turns numbers and booleans into strings and ignores objects', () => {
    const result = map([{ attribute: 'username', sources: ['n'] }, { attribute: 'email', sources: ['o'] }, { attribute: 'displayName', sources: ['b'] }], { n: 42, o: { a: 1 }, b: true });
    assert.equal(result.user.username, '42');
    assert.equal(result.user.email, undefined);
    assert.equal(result.user.displayName, 'true');
    assert.ok(result.warnings.includes('claim o is an object, ignored'));
  });

  it('rejects a username longer than 255 characters', () => {
    assert.equal(map([{ attribute: 'username', sources: ['u'] }], { u: 'x'.repeat(300) }).rejected?.attribute, 'username');
  });

  describe('properties (fast-check)', () => {
    const mappings: Mapping[] = [
      { attribute: 'username', sources: ['upn', 'email', 'a.b.c'], transformations: [{ type: 'lowercase' }, { type: 'stripDomain' }, { type: 'azureGuestUpnToEmail' }] },
      { attribute: 'displayName', template: '{given_name} {family_name} {x.y}' },
      { attribute: 'email', sources: ['email'], transformations: [{ type: 'regexReplace', pattern: '(a+)+$', replacement: 'x' }], onNoMatch: 'ignore' },
      { attribute: 'groups', sources: ['cognito:groups', 'groups'], transformations: [{ type: 'split', separator: ',' }, { type: 'filter', pattern: '^[a-z]' }, { type: 'map', values: { a: 'b' } }], onNoMatch: 'keep' },
      { attribute: 'attributes.dept', sources: ['custom:department'], transformations: [{ type: 'substring', start: 1, end: 40 }, { type: 'default', value: 'none' }] },
    ];
    const claimValue = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ maxLength: 5000 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.oneof(fc.string(), fc.integer(), fc.object()), { maxLength: 50 }),
      fc.object({ maxDepth: 3 }),
    );
    const claims = fc.dictionary(
      fc.oneof(fc.constantFrom('upn', 'email', 'given_name', 'family_name', 'cognito:groups', 'groups', 'custom:department', 'a', 'x', '__proto__', 'constructor'), fc.string()),
      claimValue,
    );

    it('never throws, whatever the claims, and always gives a well-formed result', () => {
      fc.assert(
        fc.property(claims, (input) => {
          const result = map(mappings, input);
          assert.equal(typeof result.user, 'object');
          assert.ok(Array.isArray(result.warnings));
          if (result.groups) assert.ok(result.groups.every((group) => typeof group === 'string' && group.length > 0));
          for (const value of Object.values(result.user)) assert.equal(typeof value, 'string');
          if (result.user.username !== undefined) assert.ok(result.user.username.length <= 255);
          // map() turns a thrown error into this catch-all refusal: it must never be needed.
          assert.notEqual(result.rejected?.attribute, '*', result.rejected?.reason);
        }),
        { numRuns: 500 },
      );
    });

    it('is deterministic: the same claims map to the same result', () => {
      fc.assert(
        fc.property(claims, (input) => {
          assert.deepEqual(service.map({ id: 'd', version: 1, mappings }, input), service.map({ id: 'd', version: 1, mappings }, input));
        }),
        { numRuns: 200 },
      );
    });

    it('refuses a huge groups array and a huge string by their budgets, each naming its attribute', () => {
      const groups = map(mappings, { upn: 'someone@corp.example', 'cognito:groups': Array.from({ length: 100_000 }, (_, i) => `g${i}`) });
      assert.equal(groups.rejected?.attribute, 'groups');
      assert.match(groups.rejected?.reason ?? '', /more than 1000 values/);
      const text = map(mappings, { upn: 'A'.repeat(1_000_000) });
      assert.equal(text.rejected?.attribute, 'username');
      assert.match(text.rejected?.reason ?? '', /longer than 16384 characters/);
      const fine = map(mappings, { upn: 'someone@corp.example', 'cognito:groups': Array.from({ length: 1000 }, (_, i) => `g${i}`) });
      assert.equal(fine.rejected, undefined);
      assert.equal(fine.groups?.length, 1000);
    });
  });

  describe('mapping budgets', () => {
    const amplifier = { type: 'regexReplace', pattern: '.', replacement: 'x'.repeat(4096), flags: 'g' };
    const cases: Array<[string, Mapping[], Record<string, unknown>, string]> = [
      ['four amplifying regexReplace steps', [{ attribute: 'username', sources: ['u'], transformations: [amplifier, amplifier, amplifier, amplifier] }], { u: 'a'.repeat(16_000) }, 'more than 16384 characters'],
      ['a replacement full of group references', [{ attribute: 'username', sources: ['u'], transformations: [{ type: 'regexReplace', pattern: '^(.*)$', replacement: '$1'.repeat(2000) }] }], { u: 'a'.repeat(16_000) }, 'more than 16384 characters'],
      ['an empty-matching global pattern whose references RE2 writes as text', [{ attribute: 'username', sources: ['u'], transformations: [{ type: 'regexReplace', pattern: '(?:)', replacement: '$0'.repeat(2000), flags: 'g' }] }], { u: 'a'.repeat(16_000) }, 'more than 16384 characters'],
      ['an amplifying literal replace', [{ attribute: 'username', sources: ['u'], transformations: [{ type: 'replace', search: 'a', replacement: 'y'.repeat(4096) }] }], { u: 'a'.repeat(16_000) }, 'more than 16384 characters'],
      ['a claim value over 16,384 characters', [{ attribute: 'displayName', sources: ['n'] }], { n: 'n'.repeat(16_385) }, 'longer than 16384'],
      ['a groups claim with 1,001 values', [{ attribute: 'groups', sources: ['g'] }], { g: Array.from({ length: 1001 }, (_, i) => `g${i}`) }, 'more than 1000 values'],
      ['a split into more than 1,000 values', [{ attribute: 'groups', sources: ['g'], transformations: [{ type: 'split', separator: ',' }] }], { g: Array.from({ length: 1200 }, (_, i) => `g${i}`).join(',') }, 'more than 1000 values'],
      ['1,000 groups grown to over 1,000,000 characters', [{ attribute: 'groups', sources: ['g'], transformations: [{ type: 'suffix', value: 's'.repeat(1100) }] }], { g: Array.from({ length: 1000 }, (_, i) => `g${i}`) }, 'more than 1000000 characters'],
    ];
    for (const [label, mappings, claims, reason] of cases) {
      it(`refuses ${label}, quickly`, () => {
        const started = performance.now();
        const result = map(mappings, claims);
        const took = performance.now() - started;
        assert.ok(result.rejected, JSON.stringify(result).slice(0, 200));
        assert.ok(result.rejected.reason.includes(reason), result.rejected.reason);
        assert.ok(took < 50, `took ${took.toFixed(1)} ms`);
      });
    }

    it('keeps within-budget results exact: $& and $$ and global replacement', () => {
      const result = map([{ attribute: 'username', sources: ['u'], transformations: [{ type: 'regexReplace', pattern: 'b', replacement: '[$&$$]', flags: 'g' }] }], { u: 'abcb' });
      assert.equal(result.user.username, 'a[b$]c[b$]');
      const list = map([{ attribute: 'groups', sources: ['g'] }], { g: Array.from({ length: 1000 }, (_, i) => `g${i}`) });
      assert.equal(list.groups?.length, 1000);
    });
  });

  describe('inputs: what a mapping result depends on (the login caches by it)', () => {
    const mappings: Mapping[] = [
      { attribute: 'username', sources: ['email'], transformations: [{ type: 'lowercase' }, { type: 'stripDomain' }] },
      { attribute: 'displayName', template: '{given_name} {family_name}', sources: ['name'] },
      { attribute: 'groups', sources: ['cognito:groups', 'groups'] },
      { attribute: 'attributes.team', sources: ['org.team'] },
    ];
    const connector = { id: 'inputs', version: 1, mappings };
    const claim = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 3 }));
    const claims = fc.record({ email: claim, given_name: claim, family_name: claim, name: claim, 'cognito:groups': claim, groups: claim, org: fc.oneof(claim, fc.record({ team: claim })) }, { requiredKeys: [] });
    const unread = fc.record({ exp: fc.integer(), iat: fc.integer(), nonce: fc.string(), family: fc.string() }, { requiredKeys: [] });

    it('equal inputs give the equal mapping result, whatever else the token holds', () => {
      fc.assert(
        fc.property(claims, unread, (read, other) => {
          const together = { ...other, ...read };
          assert.deepEqual(service.inputs(connector, together), service.inputs(connector, read));
          assert.deepEqual(service.map(connector, together), service.map(connector, read));
        }),
      );
    });

    it('two claim sets with equal inputs map alike: absent or null, any object, non-primitive list items', () => {
      const values: unknown[] = [undefined, null, '', ' ', 'x', 'X@y.z', 1, '1', true, [], ['x'], ['y'], ['x', {}], [{ a: 1 }, 'y'], {}, { team: 'x' }, { a: [1] }];
      const few = fc.constantFrom(...values);
      const sparse = fc.record({ email: few, given_name: few, family_name: few, name: few, 'cognito:groups': few, groups: few, org: few }, { requiredKeys: [] });
      // The same claims with each value swapped for one asInput reads alike (or not: then inputs differ, skipped).
      const variant = (value: unknown, pick: number): unknown => {
        if (value === undefined || value === null) return pick % 2 ? null : undefined;
        if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' && item !== null ? [{}, { b: 2 }, null][pick % 3] : item));
        if (typeof value === 'object') return [{}, { z: 1 }, { team: 'x' }][pick % 3];
        return value;
      };
      let equalInputs = 0;
      fc.assert(
        fc.property(sparse, fc.array(fc.nat(), { minLength: 7, maxLength: 7 }), (a, picks) => {
          // Now and then another value altogether: a key that reads too little would show here.
          const b = Object.fromEntries(Object.entries(a).map(([name, value], i) => [name, picks[i] % 5 === 0 ? values[picks[i] % values.length] : variant(value, picks[i])]));
          if (JSON.stringify(service.inputs(connector, a)) !== JSON.stringify(service.inputs(connector, b))) return;
          equalInputs++;
          const [left, right] = [service.map(connector, a), service.map(connector, b)];
          assert.deepEqual([left.user, left.attributes, left.groups, left.rejected], [right.user, right.attributes, right.groups, right.rejected]);
        }),
        { numRuns: 2000 },
      );
      assert.ok(equalInputs > 200, `only ${equalInputs} pairs with equal inputs`);
    });

    it('differ when a claim it reads differs', () => {
      assert.notDeepEqual(service.inputs(connector, { email: 'a@x' }), service.inputs(connector, { email: 'b@x' }));
      assert.notDeepEqual(service.inputs(connector, { org: { team: 'a' } }), service.inputs(connector, { org: { team: 'b' } }));
      assert.notDeepEqual(service.inputs(connector, { family_name: 'a' }), service.inputs(connector, {}));
    });

    it('are unknown (null) when a custom transformation runs: it may depend on more than its input', () => {
      const custom = { type: 'clock', description: '', options: {}, compile: () => () => String(Date.now()) };
      const withCustom = new MappingService(new TransformationRegistry([custom]));
      const steps = { id: 'custom', version: 1, mappings: [{ attribute: 'displayName', sources: ['name'], transformations: [{ type: 'clock' }] }] };
      assert.equal(withCustom.inputs(steps, { name: 'x' }), null);
      assert.deepEqual(withCustom.inputs(connector, { email: 'a@x' }), service.inputs(connector, { email: 'a@x' }));
    });
  });
});
