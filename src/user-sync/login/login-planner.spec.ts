import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { nameKey, PrimaryKeyClaim } from '../identity/identity-rules';
import type { MappingResult } from '../mapping/mapping.types';
import { effectiveGroups, LoginFacts, planDirectoryLogin, planLogin, PlannerConnector, StoredMembership, StoredUser } from './login-planner';

const CONNECTOR = 'conn-1';

function connector(users: Partial<PlannerConnector['users']> = {}, groups: Partial<PlannerConnector['groups']> = {}): PlannerConnector {
  return {
    id: CONNECTOR,
    primaryKey: 'sub',
    users: { updateExisting: true, reactivateOnLogin: false, refuseLookalikeUsernames: false, ...users },
    groups: { alwaysAssign: [], removeUnlisted: false, createMissing: true, ...groups },
  };
}

/** The mapping of alice's claims, as MappingService gives it; `over` replaces parts. */
function mapped(over: Partial<MappingResult> & { user?: MappingResult['user'] } = {}): MappingResult {
  return {
    user: { username: 'alice', displayName: 'Alice', email: 'alice@corp.example' },
    attributes: {},
    policies: { username: 'always', displayName: 'always', email: 'always' },
    warnings: [],
    ...over,
  };
}

function stored(over: Partial<StoredUser> = {}): StoredUser {
  const username = over.username ?? 'alice';
  return {
    id: 'user-alice',
    username,
    usernameKey: nameKey(username),
    displayName: 'Alice',
    email: 'alice@corp.example',
    active: true,
    attributes: {},
    externalId: 'sub-alice',
    lastLoginAt: null,
    ...over,
  };
}

const grant = (name: string, origin = CONNECTOR, userId = 'user-alice'): StoredMembership => ({ userId, origin, name, nameKey: nameKey(name) });
const bob = stored({ id: 'user-bob', username: 'bob', externalId: 'sub-bob', displayName: 'Bob' });
const key = (value: string): PrimaryKeyClaim => ({ value });

interface Case {
  name: string;
  connector?: PlannerConnector;
  mapped?: MappingResult;
  primaryKey?: PrimaryKeyClaim;
  facts?: Partial<LoginFacts>;
  accessGroups?: string[];
  protectedGroups?: string[];
  expect: {
    decision: string;
    code?: ErrorCode;
    reason?: string;
    changes?: string[];
    rename?: { from: string; to: string };
    reactivate?: boolean;
    added?: string[];
    removed?: string[];
    groups?: string[];
    access?: boolean;
    warning?: string;
    notGranted?: string[];
  };
}

const existingAlice = { byKey: stored() };

const cases: Case[] = [
  // creation
  { name: 'a new identity creates the user', expect: { decision: 'create', changes: [], groups: [], access: true } },
  { name: 'creation needs a display name', mapped: mapped({ user: { username: 'alice', email: 'a@x' } }), expect: { decision: 'refuse', code: ErrorCode.PROVISIONING_REJECTED, reason: 'no value for displayName' } },
  { name: 'creation names every missing attribute', mapped: mapped({ user: { username: 'alice' } }), expect: { decision: 'refuse', code: ErrorCode.PROVISIONING_REJECTED, reason: 'displayName, email' } },
  { name: 'a rejected mapping refuses', mapped: mapped({ rejected: { attribute: 'email', reason: 'email did not match' } }), expect: { decision: 'refuse', code: ErrorCode.PROVISIONING_REJECTED, reason: 'email did not match' } },
  { name: 'no username refuses', mapped: mapped({ user: { displayName: 'A', email: 'a@x' } }), expect: { decision: 'refuse', code: ErrorCode.PROVISIONING_REJECTED, reason: 'no username' } },
  { name: 'a missing primary key refuses, even for a bound user', primaryKey: { missing: true }, facts: { byName: stored() }, expect: { decision: 'refuse', code: ErrorCode.PROVISIONING_REJECTED, reason: 'no sub claim' } },
  { name: 'a malformed primary key refuses', primaryKey: { problem: 'contains a control character' }, expect: { decision: 'refuse', code: ErrorCode.PROVISIONING_REJECTED, reason: 'control character' } },
  // updates of the user bound to the key
  { name: 'unchanged claims change nothing', facts: existingAlice, expect: { decision: 'unchanged', changes: [] } },
  { name: 'a new display name updates', facts: existingAlice, mapped: mapped({ user: { username: 'alice', displayName: 'Alice Liddell', email: 'alice@corp.example' } }), expect: { decision: 'update', changes: ['displayName'] } },
  { name: 'update: onCreate keeps the stored e-mail', facts: existingAlice, mapped: mapped({ user: { username: 'alice', displayName: 'Alice', email: 'new@x' }, policies: { email: 'onCreate' } }), expect: { decision: 'unchanged', changes: [] } },
  { name: 'updateExisting off changes nothing', connector: connector({ updateExisting: false }), facts: existingAlice, mapped: mapped({ user: { username: 'alice2', displayName: 'X', email: 'x@x' } }), expect: { decision: 'unchanged', changes: [] } },
  { name: 'a new attribute updates', facts: existingAlice, mapped: mapped({ attributes: { department: 'R&D' } }), expect: { decision: 'update', changes: ['attributes.department'] } },
  { name: 'an emptied attribute is removed', facts: { byKey: stored({ attributes: { department: 'R&D' } }) }, mapped: mapped({ attributes: { department: '' } }), expect: { decision: 'update', changes: ['attributes.department'] } },
  // renames
  { name: 'a new username renames the bound user', facts: existingAlice, mapped: mapped({ user: { username: 'alice.l', displayName: 'Alice', email: 'alice@corp.example' } }), expect: { decision: 'rename', rename: { from: 'alice', to: 'alice.l' } } },
  { name: 'a rename onto a taken username is a conflict', facts: { byKey: stored(), byName: bob }, mapped: mapped({ user: { username: 'bob', displayName: 'Alice', email: 'a@x' } }), expect: { decision: 'refuse', code: ErrorCode.CONFLICT, reason: 'the username is taken' } },
  { name: 'a case-only rename is the user itself', facts: { byKey: stored(), byName: stored() }, mapped: mapped({ user: { username: 'Alice', displayName: 'Alice', email: 'alice@corp.example' } }), expect: { decision: 'rename', rename: { from: 'alice', to: 'Alice' } } },
  { name: 'username onCreate never renames', facts: existingAlice, mapped: mapped({ user: { username: 'alice.l', displayName: 'Alice', email: 'alice@corp.example' }, policies: { username: 'onCreate' } }), expect: { decision: 'unchanged' } },
  // identities
  { name: "another identity's username is a conflict, not a takeover", primaryKey: key('sub-mallory'), facts: { byName: stored() }, expect: { decision: 'refuse', code: ErrorCode.CONFLICT, reason: 'belongs to another identity' } },
  { name: 'an unbound user with the username is bound by this login', facts: { byName: stored({ externalId: null }) }, expect: { decision: 'update', changes: ['externalId'] } },
  { name: 'a stored key that differs from the claim is a conflict', facts: { byKey: stored({ externalId: 'SUB-ALICE' }) }, expect: { decision: 'refuse', code: ErrorCode.CONFLICT, reason: 'does not match' } },
  // activity
  { name: 'a deactivated user stays out without reactivateOnLogin', facts: { byKey: stored({ active: false }) }, expect: { decision: 'refuse', code: ErrorCode.USER_INACTIVE } },
  { name: 'reactivateOnLogin lets a deactivated user back in', connector: connector({ reactivateOnLogin: true }), facts: { byKey: stored({ active: false }) }, expect: { decision: 'update', reactivate: true } },
  // groups
  { name: 'mapped groups are granted to a new user', mapped: mapped({ groups: ['Dev', 'Ops'] }), expect: { decision: 'create', added: ['Dev', 'Ops'], groups: ['Dev', 'Ops'] } },
  { name: 'a granted group is kept, a new one added', facts: { ...existingAlice, memberships: [grant('Dev')] }, mapped: mapped({ groups: ['Dev', 'Ops'] }), expect: { decision: 'update', added: ['Ops'], removed: [], groups: ['Dev', 'Ops'] } },
  { name: 'removeUnlisted removes what this connector granted and the claim no longer lists', connector: connector({}, { removeUnlisted: true }), facts: { ...existingAlice, memberships: [grant('Dev'), grant('Old')] }, mapped: mapped({ groups: ['Dev'] }), expect: { decision: 'update', removed: ['Old'], groups: ['Dev'] } },
  { name: 'removeUnlisted never removes a manual grant', connector: connector({}, { removeUnlisted: true }), facts: { ...existingAlice, memberships: [grant('Dev'), grant('Admins', 'manual')] }, mapped: mapped({ groups: ['Dev'] }), expect: { decision: 'unchanged', removed: [], groups: ['Admins', 'Dev'] } },
  { name: "removeUnlisted leaves another connector's grant", connector: connector({}, { removeUnlisted: true }), facts: { ...existingAlice, memberships: [grant('Other', 'conn-2')] }, mapped: mapped({ groups: [] }), expect: { decision: 'unchanged', removed: [], groups: ['Other'] } },
  { name: 'an absent groups claim changes no membership', connector: connector({}, { removeUnlisted: true }), facts: { ...existingAlice, memberships: [grant('Dev')] }, mapped: mapped({ groups: undefined }), expect: { decision: 'unchanged', removed: [], groups: ['Dev'] } },
  { name: 'an empty groups claim means none (with removeUnlisted)', connector: connector({}, { removeUnlisted: true }), facts: { ...existingAlice, memberships: [grant('Dev'), grant('Ops')] }, mapped: mapped({ groups: [] }), expect: { decision: 'update', removed: ['Dev', 'Ops'], groups: [] } },
  { name: 'without removeUnlisted nothing is removed', facts: { ...existingAlice, memberships: [grant('Dev')] }, mapped: mapped({ groups: [] }), expect: { decision: 'unchanged', removed: [], groups: ['Dev'] } },
  { name: 'alwaysAssign groups are granted', connector: connector({}, { alwaysAssign: ['confluence-users'] }), expect: { decision: 'create', added: ['confluence-users'], groups: ['confluence-users'] } },
  { name: 'createMissing off drops a group that does not exist, with a warning', connector: connector({}, { createMissing: false }), mapped: mapped({ groups: ['Dev', 'Ghost'] }), facts: { existingGroupKeys: new Set(['dev']) }, expect: { decision: 'create', added: ['Dev'], warning: 'group Ghost does not exist' } },
  { name: 'a group spelt differently is the same group', facts: { ...existingAlice, memberships: [grant('Équipe')] }, mapped: mapped({ groups: ['ÉQUIPE'] }), expect: { decision: 'unchanged', added: [], groups: ['Équipe'] } },
  { name: 'equipe is not Équipe', facts: { ...existingAlice, memberships: [grant('Équipe')] }, mapped: mapped({ groups: ['equipe'] }), expect: { decision: 'update', added: ['equipe'], groups: ['equipe', 'Équipe'] } },
  // protected groups (the admin groups by default)
  { name: 'a protected group in the claims is not granted, with a warning', protectedGroups: ['alb-usersync-admins'], mapped: mapped({ groups: ['Dev', 'ALB-USERSYNC-ADMINS'] }), expect: { decision: 'create', added: ['Dev'], groups: ['Dev'], notGranted: ['ALB-USERSYNC-ADMINS'], warning: 'is protected' } },
  { name: 'allowProtectedGroups lets the connector grant a protected group', connector: connector({}, { allowProtectedGroups: true }), protectedGroups: ['alb-usersync-admins'], mapped: mapped({ groups: ['alb-usersync-admins'] }), expect: { decision: 'create', added: ['alb-usersync-admins'], notGranted: [] } },
  { name: 'a protected group this connector granted before is taken back (without removeUnlisted)', protectedGroups: ['admins'], facts: { ...existingAlice, memberships: [grant('Admins'), grant('Dev')] }, mapped: mapped({ groups: ['Admins', 'Dev'] }), expect: { decision: 'update', removed: ['Admins'], groups: ['Dev'], notGranted: ['Admins'] } },
  { name: 'a manual grant of a protected group stays', protectedGroups: ['admins'], facts: { ...existingAlice, memberships: [grant('admins', 'manual')] }, mapped: mapped({ groups: ['admins'] }), expect: { decision: 'unchanged', removed: [], groups: ['admins'], notGranted: ['admins'] } },
  { name: "another connector's grant of a protected group no longer counts (it may be stale)", protectedGroups: ['admins'], facts: { ...existingAlice, memberships: [grant('admins', 'conn-old'), grant('Dev')] }, mapped: mapped({ groups: ['Dev'] }), expect: { decision: 'unchanged', groups: ['Dev'] } },
  { name: 'alwaysAssign of a protected group is not granted either', connector: connector({}, { alwaysAssign: ['admins'] }), protectedGroups: ['Admins'], expect: { decision: 'create', added: [], notGranted: ['admins'] } },
  // access
  { name: 'an access group (any case) lets the user in', accessGroups: ['DEVS'], mapped: mapped({ groups: ['devs'] }), expect: { decision: 'create', access: true } },
  { name: 'a manual grant counts for access', accessGroups: ['admins'], facts: { ...existingAlice, memberships: [grant('admins', 'manual')] }, expect: { decision: 'unchanged', access: true } },
  { name: 'no access group: the user is still created, then refused', accessGroups: ['admins'], mapped: mapped({ groups: ['devs'] }), expect: { decision: 'create', code: ErrorCode.NO_APPLICATION_ACCESS, access: false, added: ['devs'] } },
  // look-alikes
  { name: 'refuseLookalikeUsernames: a look-alike of another user is a conflict', connector: connector({ refuseLookalikeUsernames: true }), facts: { lookalikeIds: ['user-bob'] }, expect: { decision: 'refuse', code: ErrorCode.CONFLICT, reason: 'looks like' } },
  { name: 'refuseLookalikeUsernames: a rename to a look-alike of oneself is fine', connector: connector({ refuseLookalikeUsernames: true }), facts: { byKey: stored(), lookalikeIds: ['user-alice'] }, mapped: mapped({ user: { username: 'аlice', displayName: 'Alice', email: 'alice@corp.example' } }), expect: { decision: 'rename' } },
  { name: 'look-alikes are allowed by default', facts: { lookalikeIds: ['user-bob'] }, expect: { decision: 'create' } },
  { name: 'attributes over 60,000 bytes in all are refused (a MySQL TEXT column)', mapped: mapped({ attributes: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`a${i}`, 'é'.repeat(2000)])) }), expect: { decision: 'refuse', code: ErrorCode.PROVISIONING_REJECTED, reason: 'more than 60000 bytes' } },
];

describe('planLogin (pure): the login rules', () => {
  for (const test of cases) {
    it(test.name, () => {
      const plan = planLogin({
        connector: test.connector ?? connector(),
        mapped: test.mapped ?? mapped(),
        primaryKey: test.primaryKey ?? key('sub-alice'),
        accessGroups: test.accessGroups ?? [],
        protectedGroups: test.protectedGroups ?? [],
        facts: { byKey: null, byName: null, memberships: [], lookalikeIds: [], ...test.facts },
        fingerprint: 'fp',
      });
      const { expect } = test;
      assert.equal(plan.decision, expect.decision, JSON.stringify(plan.refusal));
      if (expect.code) assert.equal(plan.refusal?.code, expect.code);
      else assert.equal(plan.refusal, undefined, JSON.stringify(plan.refusal));
      if (expect.reason) assert.ok(plan.refusal?.reason.includes(expect.reason), plan.refusal?.reason);
      if (expect.changes) assert.deepEqual(plan.changes, expect.changes);
      if (expect.rename) assert.deepEqual(plan.rename, expect.rename);
      if (expect.reactivate !== undefined) assert.equal(plan.reactivate, expect.reactivate);
      if (expect.added) assert.deepEqual(plan.groupsAdded, expect.added);
      if (expect.removed) assert.deepEqual(plan.groupsRemoved, expect.removed);
      if (expect.groups) assert.deepEqual(plan.groups, expect.groups);
      if (expect.access !== undefined) assert.equal(plan.access, expect.access);
      if (expect.notGranted) assert.deepEqual(plan.groupsProtected, expect.notGranted);
      if (expect.warning) assert.ok(plan.warnings.some((warning) => warning.includes(expect.warning!)), plan.warnings.join('; '));
    });
  }

  it('a created user carries the mapped values and the primary key exactly', () => {
    const plan = planLogin({
      connector: connector(),
      mapped: mapped({ attributes: { department: 'R&D', empty: '' } }),
      primaryKey: key(' Sub-Alice '),
      accessGroups: [],
      facts: { byKey: null, byName: null, memberships: [], lookalikeIds: [] },
      fingerprint: 'fp',
    });
    assert.deepEqual(plan.user, {
      username: 'alice',
      displayName: 'Alice',
      email: 'alice@corp.example',
      active: true,
      attributes: { department: 'R&D' },
      externalId: ' Sub-Alice ',
    });
  });
});

describe('planDirectoryLogin (pure): user sync off', () => {
  const alice = stored();
  const cases: Array<[string, Parameters<typeof planDirectoryLogin>, ErrorCode | null]> = [
    ['no username claim', ['email', '', null, undefined, [], []], ErrorCode.USER_NOT_FOUND],
    ['a username no stored name can have', ['email', 'al\u200bice', 'contains an invisible character', undefined, [], []], ErrorCode.USER_NOT_FOUND],
    ['no such user in an active directory', ['email', 'alice', null, undefined, [], []], ErrorCode.USER_NOT_FOUND],
    ['a deactivated user', ['email', 'alice', null, stored({ active: false }), [], []], ErrorCode.USER_INACTIVE],
    ['in none of the access groups', ['email', 'alice', null, alice, ['devs'], ['admins']], ErrorCode.NO_APPLICATION_ACCESS],
    ['an active user in an access group', ['email', 'alice', null, alice, ['Admins'], ['admins']], null],
    ['any active user when accessGroups is empty', ['email', 'alice', null, alice, [], []], null],
  ];
  for (const [name, args, code] of cases) {
    it(name, () => {
      const outcome = planDirectoryLogin(...args);
      if (code) assert.equal('refusal' in outcome && outcome.refusal.code, code);
      else assert.ok('user' in outcome && outcome.user.id === alice.id);
    });
  }
});

describe('effectiveGroups (pure): stored grants when no connector decides', () => {
  it('counts a protected group only when granted by hand', () => {
    const rows = [grant('admins', 'conn-old'), grant('Dev', 'conn-old'), grant('auditors', 'manual'), grant('Dev', 'manual')];
    assert.deepEqual(effectiveGroups(rows, ['Admins', 'auditors']), ['auditors', 'Dev']);
    assert.deepEqual(effectiveGroups(rows, []), ['admins', 'auditors', 'Dev']);
  });
});
