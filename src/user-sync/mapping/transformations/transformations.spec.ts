import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_MATCH, TransformationOutput } from '../attribute-transformation.interface';
import { TransformationRegistry } from '../transformation-registry';

const registry = new TransformationRegistry(null);
const run = (step: Record<string, unknown>, value: string): TransformationOutput => registry.compile(step).fn(value);

const cases: Array<[string, Record<string, unknown>, string, TransformationOutput]> = [
  ['lowercase', { type: 'lowercase' }, 'JoHN', 'john'],
  ['uppercase', { type: 'uppercase' }, 'JoHN', 'JOHN'],
  ['uppercase (unicode)', { type: 'uppercase' }, 'straße', 'STRASSE'],
  ['trim', { type: 'trim' }, '  a b \t', 'a b'],
  ['replace (every occurrence)', { type: 'replace', search: '.', replacement: '_' }, 'a.b.c', 'a_b_c'],
  ['replace (default empty)', { type: 'replace', search: '-' }, 'a-b', 'ab'],
  ['regexReplace with a group', { type: 'regexReplace', pattern: '^idp-(.*)$', replacement: '$1' }, 'idp-admins', 'admins'],
  ['regexReplace no match', { type: 'regexReplace', pattern: '^idp-(.*)$', replacement: '$1' }, 'admins', NO_MATCH],
  ['regexReplace first match only', { type: 'regexReplace', pattern: 'a', replacement: 'x' }, 'aaa', 'xaa'],
  ['regexReplace g flag', { type: 'regexReplace', pattern: 'a', replacement: 'x', flags: 'g' }, 'aaa', 'xxx'],
  ['regexReplace i flag', { type: 'regexReplace', pattern: '^ADMIN$', replacement: 'root', flags: 'i' }, 'admin', 'root'],
  ['stripDomain (email)', { type: 'stripDomain' }, 'a.example@domain.com', 'a.example'],
  ['stripDomain (DOMAIN\\user)', { type: 'stripDomain' }, 'CORP\\jdoe', 'jdoe'],
  ['stripDomain (none)', { type: 'stripDomain' }, 'jdoe', 'jdoe'],
  ['azureGuestUpnToEmail', { type: 'azureGuestUpnToEmail' }, 'john.doe_example.com#EXT#@tenant.onmicrosoft.com', 'john.doe@example.com'],
  ['azureGuestUpnToEmail (member)', { type: 'azureGuestUpnToEmail' }, 'jane@tenant.onmicrosoft.com', 'jane@tenant.onmicrosoft.com'],
  ['prefix', { type: 'prefix', value: 'ext-' }, 'bob', 'ext-bob'],
  ['suffix', { type: 'suffix', value: '@corp' }, 'bob', 'bob@corp'],
  ['substring', { type: 'substring', start: 1, end: 3 }, 'abcdef', 'bc'],
  ['substring (to the end)', { type: 'substring', start: 2 }, 'abcdef', 'cdef'],
  ['substring (by code point)', { type: 'substring', start: 0, end: 2 }, '😀😁😂', '😀😁'],
  ['split', { type: 'split', separator: ',' }, 'a, b,,c ', ['a', 'b', 'c']],
  ['map (listed)', { type: 'map', values: { HR: 'people' } }, 'HR', 'people'],
  ['map (unlisted, no default)', { type: 'map', values: { HR: 'people' } }, 'IT', NO_MATCH],
  ['map (unlisted, default)', { type: 'map', values: { HR: 'people' }, default: 'other' }, 'IT', 'other'],
  ['default (empty)', { type: 'default', value: 'none' }, '', 'none'],
  ['default (set)', { type: 'default', value: 'none' }, 'x', 'x'],
  ['filter (match)', { type: 'filter', pattern: '^app-' }, 'app-jira', 'app-jira'],
  ['filter (no match)', { type: 'filter', pattern: '^app-' }, 'other', null],
];

describe('built-in transformations', () => {
  for (const [name, step, input, expected] of cases) {
    it(`${name}: ${JSON.stringify(input)} → ${typeof expected === 'symbol' ? 'NO_MATCH' : JSON.stringify(expected)}`, () => {
      assert.deepEqual(run(step, input), expected);
    });
  }

  const invalid: Array<[Record<string, unknown>, string]> = [
    [{ type: 'nope' }, 'unknown transformation type "nope"'],
    [{ type: 'lowercase', extra: 1 }, 'unknown option "extra"'],
    [{ type: 'replace' }, 'option "search" is required'],
    [{ type: 'replace', search: '' }, 'search must not be empty'],
    [{ type: 'regexReplace', pattern: '(' }, 'not a valid regular expression'],
    [{ type: 'regexReplace', pattern: '(a)\\1' }, 'not a valid regular expression'],
    [{ type: 'regexReplace', pattern: '(?=a)' }, 'not a valid regular expression'],
    [{ type: 'regexReplace', pattern: 'a', flags: 'y' }, 'flags may only be'],
    [{ type: 'regexReplace', pattern: 'a'.repeat(2000) }, 'at most 1024'],
    [{ type: 'substring', start: -1 }, 'start must be 0 or more'],
    [{ type: 'substring', start: 3, end: 1 }, 'end must not be less than start'],
    [{ type: 'substring', start: 1.5 }, 'must be a integer'],
    [{ type: 'split', separator: '' }, 'separator must not be empty'],
    [{ type: 'map', values: { a: 1 } }, 'must be a object of strings'],
    [{ type: 'prefix', value: 5 }, 'must be a string'],
  ];
  for (const [step, message] of invalid) {
    it(`refuses ${JSON.stringify(step).slice(0, 60)} when a connector is saved`, () => {
      const problems = registry.validate(step);
      assert.equal(problems.length, 1);
      assert.ok(problems[0].includes(message), problems[0]);
    });
  }

  it('runs regexReplace (a+)+$ over 50,000 characters in linear time', (t) => {
    const { fn } = registry.compile({ type: 'regexReplace', pattern: '(a+)+$', replacement: 'x' });
    const started = process.hrtime.bigint();
    assert.equal(fn('a'.repeat(50_000) + 'b'), NO_MATCH);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // A backtracking engine takes longer than the age of the universe here; RE2 takes ~1 ms.
    t.diagnostic(`regexReplace (a+)+$ over 50,001 characters: ${ms.toFixed(2)} ms`);
    assert.ok(ms < 1000, `took ${ms} ms`);
  });
});

describe('TransformationRegistry', () => {
  it('refuses two transformations with the same type, naming both', () => {
    class Initials {
      type = 'initials';
      description = '';
      options = {};
      compile = () => (value: string) => value;
    }
    class OtherInitials extends Initials {}
    assert.throws(() => new TransformationRegistry([new Initials(), new OtherInitials()]), /Duplicate transformation type "initials": Initials and OtherInitials/);
    assert.throws(() => new TransformationRegistry([Object.assign(new Initials(), { type: 'lowercase' })]), /Duplicate transformation type "lowercase": built-in "lowercase" and Initials/);
  });
});
