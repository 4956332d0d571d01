import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as frozen from '../../database/migrations/identity-rule-frozen';
import { compareNames, lookupKey, nameKey, nameProblem, primaryKeyHash, readPrimaryKey, textProblem, usernameSkeleton } from './identity-rules';

describe('identity rules', () => {
  const names: Array<[string, string, string | null]> = [
    ['plain', 'alice', null],
    ['a plain space inside', 'Alice Smith', null],
    ['accents', 'José Núñez', null],
    ['Cyrillic', 'аlice', null],
    ['emoji', 'team 🚀', null],
    ['255 characters', 'a'.repeat(255), null],
    ['empty', '', 'is empty'],
    ['256 characters', 'a'.repeat(256), 'longer than 255'],
    ['lower case outgrows 255', 'İ'.repeat(128), 'once lower-cased'],
    ['leading space', ' alice', 'white space'],
    ['tab', 'al\tice', 'control'],
    ['NUL', 'alice\u0000', 'control'],
    ['DEL', 'alice\u007f', 'control'],
    ['C1 control', 'alice\u0085', 'control'],
    ['zero-width space', 'al\u200bice', 'invisible'],
    ['zero-width joiner', 'al\u200dice', 'invisible'],
    ['byte-order mark', 'al\ufeffice', 'invisible'],
    ['soft hyphen', 'al\u00adice', 'invisible'],
    ['bidi override', '\u202ealice', 'invisible'],
    ['Hangul filler', 'alice\u3164', 'invisible'],
    ['variation selector', 'alice\ufe0f', 'invisible'],
    ['private use', 'alice\ue000', 'invisible'],
    ['line separator', 'al\u2028ice', 'invisible'],
    ['no-break space', 'alice\u00a0smith', 'white space other'],
    ['ideographic space', 'alice\u3000smith', 'white space other'],
    ['full-width', 'ａｌｉｃｅ', 'compatibility'],
    ['ligature', 'ﬁle', 'compatibility'],
    ['superscript', 'alice²', 'compatibility'],
    ['lone surrogate', 'alice\ud800', 'well-formed'],
  ];
  for (const [label, name, problem] of names) {
    it(`name: ${label} → ${problem ?? 'accepted'}`, () => {
      const found = nameProblem(name);
      if (problem === null) assert.equal(found, null);
      else assert.ok(found?.includes(problem), `${JSON.stringify(found)} should mention "${problem}"`);
      assert.equal(lookupKey(name), problem === null ? nameKey(name) : null);
    });
  }

  it('nameKey: canonical equivalents and case variants share a key; accents and scripts do not', () => {
    assert.equal(nameKey('JOSÉ'), nameKey('jose\u0301'));
    assert.equal(nameKey('Équipe'), 'équipe');
    assert.notEqual(nameKey('equipe'), nameKey('équipe'));
    assert.notEqual(nameKey('alice'), nameKey('аlice'));
    assert.notEqual(nameKey('strasse'), nameKey('straße'));
  });

  it('compareNames orders by key code point (as binary collation does), then by spelling', () => {
    const sorted = ['b', 'Á', 'a', '_', 'Z', 'ä', 'A', '😀', '\uffee'].sort(compareNames);
    assert.deepEqual(sorted, ['_', 'A', 'a', 'b', 'Z', 'Á', 'ä', '\uffee', '😀']);
  });

  const keys: Array<[string, unknown, 'value' | 'missing' | 'problem']> = [
    ['a string, kept exactly', ' AbC ', 'value'],
    ['a number', 12345, 'value'],
    ['1,024 characters', 'k'.repeat(1024), 'value'],
    ['absent', undefined, 'missing'],
    ['null', null, 'missing'],
    ['empty', '', 'missing'],
    ['1,025 characters', 'k'.repeat(1025), 'problem'],
    ['NUL', 'a\u0000', 'problem'],
    ['lone surrogate', '\udc00', 'problem'],
    ['an object', { id: 1 }, 'problem'],
    ['a boolean', true, 'problem'],
    ['NaN', Number.NaN, 'problem'],
  ];
  for (const [label, raw, outcome] of keys) {
    it(`primary key: ${label} → ${outcome}`, () => {
      const read = readPrimaryKey(raw);
      assert.ok(outcome in read, JSON.stringify(read));
      if ('value' in read) assert.equal(read.value, String(raw));
    });
  }

  it('primary-key hashes tell apart what a collation merges', () => {
    const variants = ['abc', 'ABC', 'abc ', 'ábc', 'a\u0301bc', 'ａbc', 'a\u200bbc'];
    assert.equal(new Set(variants.map(primaryKeyHash)).size, variants.length);
    assert.equal(primaryKeyHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('text values: controls and lone surrogates refused, lengths enforced; emoji sequences kept', () => {
    assert.equal(textProblem('Zoë 👩‍💻', 255), null);
    assert.match(textProblem('a\nb', 255) ?? '', /control/);
    assert.match(textProblem('\ud83d', 255) ?? '', /well-formed/);
    assert.match(textProblem('x'.repeat(256), 255) ?? '', /longer than 255/);
  });

  it('usernameSkeleton: confusables share a skeleton, different names do not', () => {
    assert.equal(usernameSkeleton('alice'), usernameSkeleton('аlice'));
    assert.equal(usernameSkeleton('alice'), usernameSkeleton('a1ice'));
    assert.equal(usernameSkeleton('modern'), usernameSkeleton('rnodern'));
    assert.equal(usernameSkeleton('Paypal'), usernameSkeleton('pаypаl'));
    assert.notEqual(usernameSkeleton('alice'), usernameSkeleton('alicia'));
  });
});

describe('the migrations\' frozen copy of the rule', () => {
  it('still computes what the rule computes', () => {
    for (const value of ['alice', 'ALICE', 'аlice', 'José', 'jose\u0301', 'İstanbul', 'rnodern', 'AbC-victim ', '']) {
      assert.equal(frozen.primaryKeyHash(value), primaryKeyHash(value), value);
      assert.equal(frozen.usernameSkeleton(value), usernameSkeleton(value), value);
    }
  });
});
