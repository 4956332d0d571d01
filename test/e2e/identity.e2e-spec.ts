import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { UserEntity } from '../../src/user-sync/store/user.entity';
import { usernameColumns } from '../../src/user-sync/identity/identity-rules';
import { AdminClient, enableJit } from '../support/admin-client';
import { assertError, assertStatus } from '../support/http';
import { ADMIN_TOKEN } from '../support/test-app';
import { useTestStack } from '../support/test-stack';

/**
 * The identity rule (README "Who is who"), asked the same questions on SQLite and on MariaDB
 * (DATABASE_URL): every expected answer below is the same on both databases.
 */

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${counter++}`;

/** username from preferred_username as sent (no transformation), so the rule itself is what is tested. */
const IDENTITY_CONNECTOR = {
  mappings: [
    { attribute: 'username', sources: ['preferred_username'] },
    { attribute: 'displayName', sources: ['name'] },
    { attribute: 'email', sources: ['email'] },
    { attribute: 'groups', sources: ['groups'] },
  ],
  groups: { alwaysAssign: [], removeUnlisted: true, createMissing: true },
};

describe('Identity rule, the same on every database', () => {
  const stack = useTestStack();
  const { signer } = stack;
  let http: ReturnType<typeof request>;
  let admin: AdminClient;
  let dataSource: DataSource;
  let connector: { id: string; directoryId: string };
  const login = (claims: Record<string, unknown>) => http.get('/api/me').set('x-amzn-oidc-data', signer.sign({ claims }));
  const storedUser = (username: string) => admin.get(`/api/user-sync/directories/${connector.directoryId}/users/${encodeURIComponent(username)}`);
  const rows = () => dataSource.getRepository(UserEntity).findBy({ directoryId: connector.directoryId });
  const person = (sub: string, username: string, extra: Record<string, unknown> = {}) => ({
    sub,
    preferred_username: username,
    name: `Name of ${username}`,
    email: `${unique('mail')}@corp.example`,
    ...extra,
  });

  before(() => {
    ({ http, admin } = stack);
    dataSource = stack.app.get(DataSource);
  });

  beforeEach(async () => {
    connector = await enableJit(admin, { name: unique('Identity'), ...IDENTITY_CONNECTOR });
  });

  describe('primary keys compare byte-exact and are never cut', () => {
    const long = (head: string, length: number) => head.padEnd(length, 'k');
    const pairs: Array<[string, string, string]> = [
      ['case', 'AbC-victim', 'abc-VICTIM'],
      ['accent', 'vda-victim', 'vdá-victim'],
      ['trailing space', 'pk-victim', 'pk-victim '],
      ['leading space', 'pk-victim', ' pk-victim'],
      ['full-width', 'pk-victim', 'pｋ-victim'],
      ['zero-width', 'pk-victim', 'pk\u200b-victim'],
      ['Cyrillic look-alike', 'pk-victim', 'pk-viсtim'],
      ['decomposed accent', 'vdá', 'vda\u0301'],
      ['255 vs 256 characters', long('k', 255), `${long('k', 255)}x`],
      ['1,000 characters differing after 255', `${long('k', 255)}${'a'.repeat(745)}`, `${long('k', 255)}${'b'.repeat(745)}`],
    ];
    for (const [label, victimKey, otherKey] of pairs) {
      it(`${label}: two identities, two users; the first user is untouched`, async () => {
        const victim = person(victimKey, unique('victim'));
        assertStatus(await login(victim), 200);
        const other = person(otherKey, unique('other'));
        const response = await login(other);
        assertStatus(response, 200);
        assert.equal(response.body.username, other.preferred_username);

        const stored = await storedUser(victim.preferred_username);
        assertStatus(stored, 200);
        assert.equal(stored.body.externalId, victimKey);
        assert.equal(stored.body.displayName, victim.name);
        assert.equal(stored.body.email, victim.email);
        assert.equal((await storedUser(other.preferred_username)).body.externalId, otherKey);
        assert.deepEqual((await rows()).map((row) => row.externalId).sort(), [victimKey, otherKey].sort());

        // The other identity with the victim's username is refused; nothing changes.
        assertError(await login(person(otherKey, victim.preferred_username, { name: 'Mallory' })), 409, 'CONFLICT');
        assert.equal((await storedUser(victim.preferred_username)).body.displayName, victim.name);
        // The refusal is audited under the username the login asked for: searchable by it.
        const audit = await stack.admin.get(`/api/user-sync/audit?type=login.refused&username=${encodeURIComponent(victim.preferred_username)}&limit=1`);
        assert.equal(audit.body.items[0]?.details.code, 'CONFLICT', JSON.stringify(audit.body));
      });
    }

    it('another primary key with every other claim of a signed-in user is refused, not given that user', async () => {
      const victim = person(randomUUID(), unique('victim'), { groups: ['team'] });
      // Twice: the victim's outcome is cached by token and by the claims its mapping reads.
      for (let i = 0; i < 2; i++) assertStatus(await login(victim), 200);
      assertError(await login({ ...victim, sub: randomUUID() }), 409, 'CONFLICT');
      assert.equal((await login(victim)).body.username, victim.preferred_username);
    });

    const refused: Array<[string, string]> = [
      ['1,025 characters', 'k'.repeat(1025)],
      ['a NUL', 'pk\u0000victim'],
      ['another control character', 'pk\u0007victim'],
      ['a lone surrogate', 'pk\ud800victim'],
    ];
    for (const [label, key] of refused) {
      it(`refuses a primary key with ${label}, creating nothing`, async () => {
        assertError(await login(person(key, unique('refused'))), 403, 'PROVISIONING_REJECTED', 'primary key');
        assert.equal((await rows()).length, 0);
      });
    }

    it('accepts a 1,024-character primary key and finds its user again', async () => {
      const claims = person(`${'k'.repeat(1023)}é`, unique('long'));
      assertStatus(await login(claims), 200);
      assertStatus(await login({ ...claims, name: 'Renamed' }), 200);
      assert.equal((await rows()).length, 1);
      assert.equal((await storedUser(claims.preferred_username)).body.displayName, 'Renamed');
    });

    it('an unbound user is bound by exactly one of ten concurrent logins with different keys', async () => {
      await dataSource.getRepository(UserEntity).insert({
        id: randomUUID(),
        directoryId: connector.directoryId,
        ...usernameColumns('legacy'),
        displayName: 'Legacy',
        email: 'legacy@corp.example',
        active: true,
        attributes: {},
        externalId: null,
        externalIdHash: null,
      });
      const subs = Array.from({ length: 10 }, (_, i) => `claimant-${i}`);
      const responses = await Promise.all(subs.map((sub) => login({ sub, preferred_username: 'legacy', name: 'Legacy', email: 'legacy@corp.example' })));
      const winners = subs.filter((_, i) => responses[i].status === 200);
      assert.equal(winners.length, 1, responses.map((response) => response.status).join(','));
      for (const response of responses) if (response.status !== 200) assertError(response, 409, 'CONFLICT');
      assert.equal((await storedUser('legacy')).body.externalId, winners[0]);
      assert.equal((await rows()).length, 1);
    });

    it('refuses a login without the primary-key claim: the bound user is unchanged, and no one is matched by username', async () => {
      assertStatus(await admin.patch(`/api/user-sync/connectors/${connector.id}`, { primaryKey: 'custom:uid' }), 200);
      const bob = { sub: unique('sub'), 'custom:uid': 'u-bob', preferred_username: 'bob', name: 'Bob', email: 'bob@corp.example' };
      assertStatus(await login(bob), 200);
      const mallory = { sub: unique('sub'), preferred_username: 'bob', name: 'Mallory', email: 'bob@corp.example' };
      assertError(await login(mallory), 403, 'PROVISIONING_REJECTED', 'custom:uid');
      assertError(await login({ ...mallory, 'custom:uid': '' }), 403, 'PROVISIONING_REJECTED', 'custom:uid');
      const stored = await storedUser('bob');
      assert.equal(stored.body.displayName, 'Bob');
      assert.equal(stored.body.externalId, 'u-bob');
      // A newcomer without the claim is refused too: no user is ever created unbound.
      assertError(await login({ sub: unique('sub'), preferred_username: 'carol', name: 'Carol', email: 'c@corp.example' }), 403, 'PROVISIONING_REJECTED');
      assert.equal((await rows()).length, 1);
      // Another key for bob's username: a conflict, not a takeover.
      assertError(await login({ ...mallory, 'custom:uid': 'u-mallory' }), 409, 'CONFLICT');
      assert.equal((await storedUser('bob')).body.displayName, 'Bob');
    });
  });

  describe('usernames: NFC and lower case, hidden and imitating characters refused', () => {
    const variants: Array<[string, (name: string) => string, 'same' | 'distinct' | 'refused']> = [
      ['upper case', (name) => name.toUpperCase(), 'same'],
      ['trailing space (trimmed)', (name) => `${name} `, 'same'],
      ['decomposed accent', (name) => name.normalize('NFD'), 'same'],
      ['accent removed', (name) => name.replace('é', 'e'), 'distinct'],
      ['accent added', (name) => name.replace('a', 'á'), 'distinct'],
      ['Cyrillic look-alike', (name) => name.replace('a', 'а'), 'distinct'],
      ['full-width', (name) => name.replace('a', 'ａ'), 'refused'],
      ['ligature', (name) => `${name}ﬁ`, 'refused'],
      ['zero-width space', (name) => name.replace('a', 'a\u200b'), 'refused'],
      ['soft hyphen', (name) => name.replace('a', 'a\u00ad'), 'refused'],
      ['right-to-left override', (name) => `\u202e${name}`, 'refused'],
      ['Hangul filler', (name) => `${name}\u3164`, 'refused'],
      ['NUL', (name) => `${name}\u0000`, 'refused'],
      ['bell', (name) => `${name}\u0007`, 'refused'],
      ['no-break space', (name) => name.replace('-', '\u00a0'), 'refused'],
      ['lone surrogate', (name) => `${name}\ud800`, 'refused'],
    ];
    for (const [label, vary, expected] of variants) {
      it(`${label}: ${expected}`, async () => {
        const victim = person(unique('sub'), unique('alicé-'));
        assertStatus(await login(victim), 200);
        const variant = vary(victim.preferred_username);
        const response = await login(person(unique('sub'), variant, { name: 'Mallory' }));
        if (expected === 'same') assertError(response, 409, 'CONFLICT', 'another identity');
        if (expected === 'refused') assertError(response, 403, 'PROVISIONING_REJECTED', 'username');
        if (expected === 'distinct') {
          assertStatus(response, 200);
          assert.equal(response.body.username.normalize('NFC'), variant.normalize('NFC'));
        }
        assert.equal((await rows()).length, expected === 'distinct' ? 2 : 1);
        assert.equal((await storedUser(victim.preferred_username)).body.displayName, victim.name);
      });
    }

    it('look-alike usernames: allowed by default, refused (409) with refuseLookalikeUsernames, on creation and on rename', async () => {
      const suffix = unique('');
      assertStatus(await login(person(unique('sub'), `alice${suffix}`)), 200);
      assertStatus(await login(person(unique('sub'), `modern${suffix}`)), 200);
      assertStatus(await login(person(unique('sub'), `аlice${suffix}-off`)), 200);
      assertStatus(await admin.patch(`/api/user-sync/connectors/${connector.id}`, { users: { refuseLookalikeUsernames: true } }), 200);
      for (const lookalike of [`аlice${suffix}`, `a1ice${suffix}`, `rnodern${suffix}`, `modern${suffix}`.replace('o', 'о')]) {
        assertError(await login(person(unique('sub'), lookalike)), 409, 'CONFLICT', 'looks like');
      }
      const carol = person(unique('sub'), `carol${suffix}`);
      assertStatus(await login(carol), 200);
      assertError(await login({ ...carol, preferred_username: `аlice${suffix}` }), 409, 'CONFLICT', 'looks like');
      // Its own look-alike is no one else's: a user may be renamed to a confusable of their own name.
      const renamed = await login({ ...carol, preferred_username: `cаrol${suffix}` });
      assertStatus(renamed, 200);
      assert.equal(renamed.body.username, `cаrol${suffix}`);
      assert.equal((await rows()).length, 4);
    });

    it('length: 255 characters pass, 256 are refused, and so is a name whose lower case outgrows 255', async () => {
      const named = (username: string) => person(unique('sub'), username, { name: 'Long' });
      assertStatus(await login(named('u'.repeat(255))), 200);
      assertError(await login(named('u'.repeat(256))), 403, 'PROVISIONING_REJECTED', 'longer than 255');
      assertError(await login(named('İ'.repeat(200))), 403, 'PROVISIONING_REJECTED', 'once lower-cased');
      const dotted = 'İ'.repeat(127);
      const ok = await login(named(dotted));
      assertStatus(ok, 200);
      assertStatus(await storedUser(dotted.toLowerCase()), 200);
      assert.equal((await rows()).length, 2);
    });

    it('a display name, e-mail or attribute with a control character or over its length is refused, naming it', async () => {
      assertError(await login(person(unique('sub'), unique('u'), { name: 'Bad\u0000Name' })), 403, 'PROVISIONING_REJECTED', 'displayName');
      assertError(await login(person(unique('sub'), unique('u'), { name: 'n'.repeat(256) })), 403, 'PROVISIONING_REJECTED', 'displayName');
      assertError(await login(person(unique('sub'), unique('u'), { email: `${'e'.repeat(320)}@x` })), 403, 'PROVISIONING_REJECTED', 'email');
      assert.equal((await rows()).length, 0);
    });

    it('with user sync off, only the stored name or its case variants log in as the user', async () => {
      const existing = person(unique('sub'), unique('vda-'));
      assertStatus(await login(existing), 200);
      assertStatus(await admin.put('/api/alb-auth/settings', { usernameClaim: 'preferred_username', userSync: { enabled: false, connectorId: connector.id } }), 200);
      const asName = (username: string) => login({ sub: unique('sub'), preferred_username: username });
      assertStatus(await asName(existing.preferred_username), 200);
      const upper = await asName(existing.preferred_username.toUpperCase());
      assertStatus(upper, 200);
      assert.equal(upper.body.username, existing.preferred_username);
      for (const lookAlike of [
        existing.preferred_username.replace('a', 'á'),
        existing.preferred_username.replace('a', 'a\u200b'),
        existing.preferred_username.replace('a', 'ａ'),
        existing.preferred_username.replace('a', 'а'),
        `${existing.preferred_username}\u0000`,
      ]) {
        assertError(await asName(lookAlike), 403, 'USER_NOT_FOUND');
      }
    });

    it('orders users by their key, code point by code point', async () => {
      const suffix = unique('');
      for (const name of ['b', 'Á', 'a', '_', 'Z', 'ä', 'A-']) assertStatus(await login(person(unique('sub'), `${name}${suffix}`)), 200);
      const list = await admin.get(`/api/user-sync/directories/${connector.directoryId}/users?limit=100`);
      assert.deepEqual(
        list.body.items.map((user: { username: string }) => user.username),
        ['_', 'A-', 'a', 'b', 'Z', 'Á', 'ä'].map((name) => `${name}${suffix}`),
      );
    });
  });

  describe('group names follow the username rule', () => {
    it('Équipe and equipe are two groups; ÉQUIPE is Équipe; no 500', async () => {
      const first = await login(person(unique('sub'), unique('g'), { groups: ['Équipe'] }));
      assertStatus(first, 200);
      const second = await login(person(unique('sub'), unique('g'), { groups: ['equipe', 'ÉQUIPE'] }));
      assertStatus(second, 200);
      assert.deepEqual(second.body.groups, ['equipe', 'Équipe']);
      const groups = await admin.get(`/api/user-sync/directories/${connector.directoryId}/groups`);
      assert.deepEqual(groups.body.items.map((group: { name: string }) => group.name), ['equipe', 'Équipe']);
    });

    const badGroups: Array<[string, string]> = [
      ['over 255 characters', 'g'.repeat(256)],
      ['a zero-width joiner', 'te\u200dam'],
      ['a NUL', 'team\u0000'],
      ['full-width letters', 'ｔｅａｍ'],
    ];
    for (const [label, group] of badGroups) {
      it(`a group name with ${label} refuses the login, naming groups, and writes nothing`, async () => {
        const claims = person(unique('sub'), unique('g'), { groups: ['fine', group] });
        assertError(await login(claims), 403, 'PROVISIONING_REJECTED', 'groups');
        assert.equal((await rows()).length, 0);
        assert.equal((await admin.get(`/api/user-sync/directories/${connector.directoryId}/groups`)).body.total, 0);
      });
    }

    it('admin writes: café and cafe are two manual groups, Café and café one; bad names are 400', async () => {
      const claims = person(unique('sub'), unique('m'));
      assertStatus(await login(claims), 200);
      const url = `/api/user-sync/directories/${connector.directoryId}/users/${claims.preferred_username}`;
      const both = await admin.patch(url, { groups: ['café', 'cafe'] });
      assertStatus(both, 200);
      assert.deepEqual(both.body.groups, ['cafe', 'café']);
      const one = await admin.patch(url, { groups: ['Café', 'café'] });
      assertStatus(one, 200);
      assert.deepEqual(one.body.groups, ['café']);
      for (const name of ['bad\u0000', ' padded', 'ｆull', 'zero\u200bwidth', 'n'.repeat(256)]) {
        assertError(await admin.post(`/api/user-sync/directories/${connector.directoryId}/groups`, { name }), 400, 'VALIDATION_FAILED', 'name');
        assertError(await admin.patch(url, { groups: [name] }), 400, 'VALIDATION_FAILED', 'groups');
      }
      assertError(await admin.post('/api/user-sync/directories', { name: 'dir\u200b' }), 400, 'VALIDATION_FAILED', 'name');
      assertError(await admin.patch(`/api/user-sync/connectors/${connector.id}`, { groups: { alwaysAssign: ['ok', 'x\u0000'] } }), 400, 'VALIDATION_FAILED', 'alwaysAssign');
      assertError(await admin.put('/api/alb-auth/settings', { accessGroups: ['ａdmins'] }), 400, 'VALIDATION_FAILED', 'accessGroups');
    });
  });

  it('refuses a transformation option named like an Object.prototype member', async () => {
    for (const option of ['toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      const mappings = [{ attribute: 'username', sources: ['email'], transformations: [{ type: 'lowercase', [option]: 'x' }] }];
      assertError(await admin.patch(`/api/user-sync/connectors/${connector.id}`, { mappings }), 400, 'VALIDATION_FAILED', `unknown option "${option}"`);
    }
    // Keys a pipe would strip silently are refused before it runs, at any depth and in any case.
    for (const option of ['constructor', 'prototype', 'Constructor']) {
      const mappings = [{ attribute: 'username', sources: ['email'], transformations: [{ type: 'lowercase', [option]: 'x' }] }];
      assertError(await admin.patch(`/api/user-sync/connectors/${connector.id}`, { mappings }), 400, 'VALIDATION_FAILED', `mappings[0].transformations[0].${option}: the key "${option}" is not allowed`);
    }
    const raw = await http
      .patch(`/api/user-sync/connectors/${connector.id}`)
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .set('content-type', 'application/json')
      .send('{"name":"x","__proto__":{"polluted":1}}');
    assertError(raw, 400, 'VALIDATION_FAILED');
    // And in a query's keys, which a pipe would strip as silently.
    for (const query of ['constructor=x', 'Prototype=1', '__proto__=1']) {
      assertError(await admin.get(`/api/user-sync/directories?${query}`), 400, 'VALIDATION_FAILED', 'is not allowed');
    }
    assert.equal((await admin.get(`/api/user-sync/connectors/${connector.id}`)).body.name === 'x', false, 'nothing saved');
  });

  it('arbitrary Unicode claims (fast-check): never a 500, never two identities on one user row', async () => {
    const tricky = fc.constantFrom('a', 'A', 'á', 'a\u0301', 'ａ', 'а', '\u200b', ' ', '\u0000', 'İ', 'i', 'ß', 'S', '\ud800', '😀', '-');
    const text = fc.oneof(fc.string({ unit: tricky, minLength: 1, maxLength: 5 }), fc.string({ unit: 'binary', maxLength: 12 }));
    const boundTo = new Map<string, string | null>();
    await fc.assert(
      fc.asyncProperty(text, text, fc.array(text, { maxLength: 3 }), async (sub, username, groups) => {
        const response = await login({ sub, preferred_username: username, name: 'N', email: 'e@x', groups });
        const expected = sub === '' ? [401] : [200, 403, 409]; // an ALB token always has a sub
        assert.ok(expected.includes(response.status), `status ${response.status} ${JSON.stringify(response.body)}`);
        for (const row of await rows()) {
          // Once bound, a row's primary key never changes.
          if (boundTo.has(row.id)) assert.equal(row.externalId, boundTo.get(row.id));
          boundTo.set(row.id, row.externalId);
        }
        if (response.status === 200) {
          const mine = (await rows()).filter((row) => row.externalId === sub);
          assert.equal(mine.length, 1, 'one row holds this primary key');
          assert.equal(mine[0].username, response.body.username, 'the login answered as the row bound to its own key');
        }
      }),
      { numRuns: 150, seed: Number(process.env.FC_SEED ?? Date.now() % 1_000_000) },
    );
  });
});
