import { ErrorCode } from '../../common/errors/error-code.enum';
import type { ConnectorGroupOptions, ConnectorUserOptions } from '../store/connector.types';
import { MANUAL_ORIGIN } from '../store/membership-origin';
import { compareNames, IDENTITY_LIMITS, nameKey, PrimaryKeyClaim } from '../identity/identity-rules';
import type { MappingResult } from '../mapping/mapping.types';
import { LoginPlan, PlannedUser } from './login-plan';

/**
 * The login rules as one pure function: what a login with these mapped claims does to what is
 * stored. No Nest, no TypeORM: the resolver loads the facts, this decides, the writer applies.
 * Its table-driven spec (login-planner.spec.ts) is where the rules are pinned down.
 */

/** A stored user, as far as the rules look at it. */
export interface StoredUser {
  id: string;
  username: string;
  usernameKey: string;
  displayName: string;
  email: string;
  active: boolean;
  attributes: Record<string, string> | null;
  externalId: string | null;
  lastLoginAt: Date | null;
}

/** One grant of a group to a stored user: `origin` is a connector id or `manual`. */
export interface StoredMembership {
  userId: string;
  origin: string;
  name: string;
  nameKey: string;
}

export interface PlannerConnector {
  id: string;
  primaryKey: string;
  users: ConnectorUserOptions;
  groups: ConnectorGroupOptions;
}

/** What the store holds that this login may touch, loaded before planning (loadLoginFacts). */
export interface LoginFacts {
  /** The user whose primary-key hash equals the claim's. */
  byKey: StoredUser | null;
  /** The user whose username key equals the mapped username's. */
  byName: StoredUser | null;
  /** Memberships of byKey and byName. */
  memberships: StoredMembership[];
  /** Keys of the wanted groups that exist; loaded only when createMissing is off. */
  existingGroupKeys?: ReadonlySet<string>;
  /** Ids of users whose username looks like the mapped one; loaded only with refuseLookalikeUsernames. */
  lookalikeIds: readonly string[];
}

export interface PlannerInput {
  connector: PlannerConnector;
  mapped: MappingResult;
  primaryKey: PrimaryKeyClaim;
  accessGroups: readonly string[];
  /** Groups this connector may not grant from claims or alwaysAssign unless groups.allowProtectedGroups. */
  protectedGroups?: readonly string[];
  facts: LoginFacts;
  fingerprint: string;
}

export type PlannedLogin = LoginPlan & { existingLastLogin?: Date | null };

export function planLogin({ connector, mapped, primaryKey, accessGroups, protectedGroups = [], facts, fingerprint }: PlannerInput): PlannedLogin {
  const plan: PlannedLogin = {
    decision: 'refuse',
    changes: [],
    reactivate: false,
    groupsAdded: [],
    groupsRemoved: [],
    groupsProtected: [],
    groups: [],
    access: false,
    fingerprint,
    warnings: [...mapped.warnings],
  };
  const refuse = (code: ErrorCode, reason: string) => Object.assign(plan, { decision: 'refuse' as const, refusal: { code, reason } });
  if (mapped.rejected) return refuse(ErrorCode.PROVISIONING_REJECTED, `Provisioning rejected: ${mapped.rejected.reason}`);
  const username = mapped.user.username;
  if (!username) return refuse(ErrorCode.PROVISIONING_REJECTED, 'Provisioning rejected: no username could be mapped');
  plan.attemptedUsername = username;
  if ('missing' in primaryKey) {
    return refuse(ErrorCode.PROVISIONING_REJECTED, `Provisioning rejected: the token has no ${connector.primaryKey} claim (the connector's primary key)`);
  }
  if ('problem' in primaryKey) {
    return refuse(ErrorCode.PROVISIONING_REJECTED, `Provisioning rejected: the ${connector.primaryKey} claim (the connector's primary key) ${primaryKey.problem}`);
  }
  const externalId = primaryKey.value;

  // A user bound to a primary key is reached through that key only; by username only while unbound.
  const { byKey, byName } = facts;
  if (byKey && byKey.externalId !== externalId) return refuse(ErrorCode.CONFLICT, `Primary key ${connector.primaryKey} does not match the stored one`);
  let existing = byKey;
  if (!existing && byName) {
    if (byName.externalId !== null) return refuse(ErrorCode.CONFLICT, `Username ${username} belongs to another identity`);
    existing = byName;
  }
  const policyAllows = (attribute: string) => (mapped.policies[attribute] ?? 'always') === 'always';
  const looksTaken = (selfId: string | null) => facts.lookalikeIds.some((id) => id !== selfId);

  let user: PlannedUser;
  if (!existing) {
    const missing = (['username', 'displayName', 'email'] as const).filter((field) => !mapped.user[field]);
    if (missing.length) return refuse(ErrorCode.PROVISIONING_REJECTED, `Cannot create the user: no value for ${missing.join(', ')}`);
    if (connector.users.refuseLookalikeUsernames && looksTaken(null)) {
      return refuse(ErrorCode.CONFLICT, `Username ${username} looks like another user's (refuseLookalikeUsernames)`);
    }
    user = {
      username,
      displayName: mapped.user.displayName as string,
      email: mapped.user.email as string,
      active: true,
      attributes: Object.fromEntries(Object.entries(mapped.attributes).filter(([, value]) => value !== '')),
      externalId,
    };
    plan.decision = 'create';
  } else {
    plan.existingId = existing.id;
    plan.existingLastLogin = existing.lastLoginAt;
    if (!existing.active) {
      if (!connector.users.reactivateOnLogin) return refuse(ErrorCode.USER_INACTIVE, `User ${existing.username} is deactivated`);
      plan.reactivate = true;
    }
    user = {
      username: existing.username,
      displayName: existing.displayName,
      email: existing.email,
      active: true,
      attributes: { ...(existing.attributes ?? {}) },
      externalId: existing.externalId ?? externalId,
    };
    if (existing.externalId === null) plan.changes.push('externalId');
    if (connector.users.updateExisting) {
      if (policyAllows('username') && username !== existing.username) {
        if (nameKey(username) !== existing.usernameKey && byName && byName.id !== existing.id) {
          return refuse(ErrorCode.CONFLICT, `Cannot rename ${existing.username} to ${username}: the username is taken`);
        }
        if (connector.users.refuseLookalikeUsernames && looksTaken(existing.id)) {
          return refuse(ErrorCode.CONFLICT, `Cannot rename ${existing.username} to ${username}: it looks like another user's (refuseLookalikeUsernames)`);
        }
        plan.rename = { from: existing.username, to: username };
        user.username = username;
      }
      for (const field of ['displayName', 'email'] as const) {
        const value = mapped.user[field];
        if (value !== undefined && policyAllows(field) && value !== existing[field]) {
          user[field] = value;
          plan.changes.push(field);
        }
      }
      for (const [name, value] of Object.entries(mapped.attributes)) {
        if (!policyAllows(`attributes.${name}`) || (user.attributes[name] ?? '') === value) continue;
        if (value === '') delete user.attributes[name];
        else user.attributes[name] = value;
        plan.changes.push(`attributes.${name}`);
      }
    }
    plan.decision = plan.rename ? 'rename' : plan.changes.length || plan.reactivate ? 'update' : 'unchanged';
  }
  if (Buffer.byteLength(JSON.stringify(user.attributes)) > IDENTITY_LIMITS.attributesBytes) {
    return refuse(ErrorCode.PROVISIONING_REJECTED, `Provisioning rejected: the attributes take more than ${IDENTITY_LIMITS.attributesBytes} bytes in all`);
  }
  plan.user = user;

  const memberships = existing ? facts.memberships.filter((membership) => membership.userId === existing.id) : [];
  const groups = planGroups(connector, mapped, memberships, facts.existingGroupKeys, protectedGroups, plan.warnings);
  plan.groupsAdded = groups.added;
  plan.groupsRemoved = groups.removed;
  plan.groupsProtected = groups.protectedDropped;
  plan.groups = groups.final;
  if (plan.decision === 'unchanged' && (groups.added.length || groups.removed.length)) plan.decision = 'update';
  plan.access = hasAccess(accessGroups, plan.groups);
  if (!plan.access) {
    plan.refusal = { code: ErrorCode.NO_APPLICATION_ACCESS, reason: `User ${user.username} is in none of the access groups` };
  }
  return plan;
}

/** The groups a connector wants for this login: always-assigned ones, then the mapped ones. */
export function wantedGroups(connector: PlannerConnector, mapped: MappingResult): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const name of [...connector.groups.alwaysAssign, ...(mapped.groups ?? [])]) {
    if (!wanted.has(nameKey(name))) wanted.set(nameKey(name), name);
  }
  return wanted;
}

/**
 * Memberships are remembered with who granted them: this connector adds what it wants and, with
 * removeUnlisted and a groups claim present, removes only its own grants; manual ones stay.
 * Protected groups (the admin groups by default) it never grants unless allowProtectedGroups, and
 * a grant of one it made before is taken back; a manual grant of one stays.
 */
function planGroups(
  connector: PlannerConnector,
  mapped: MappingResult,
  memberships: StoredMembership[],
  existingGroupKeys: ReadonlySet<string> | undefined,
  protectedGroups: readonly string[],
  warnings: string[],
): { added: string[]; removed: string[]; protectedDropped: string[]; final: string[] } {
  const mine = new Map(memberships.filter((row) => row.origin === connector.id).map((row) => [row.nameKey, row.name]));
  // Another origin's grant of a protected group counts only when made by hand (another connector's may be stale).
  const allProtected = new Set(protectedGroups.map(nameKey));
  const others = new Map(
    memberships.filter((row) => row.origin !== connector.id && (row.origin === MANUAL_ORIGIN || !allProtected.has(row.nameKey))).map((row) => [row.nameKey, row.name]),
  );
  const wanted = wantedGroups(connector, mapped);
  const protectedKeys = connector.groups.allowProtectedGroups ? new Set<string>() : allProtected;
  const protectedDropped: string[] = [];
  for (const [key, name] of wanted) {
    if (!protectedKeys.has(key)) continue;
    wanted.delete(key);
    protectedDropped.push(name);
    warnings.push(`group ${name} is protected (settings protectedGroups): not granted from claims`);
  }
  if (!connector.groups.createMissing) {
    for (const [key, name] of wanted) {
      if (!existingGroupKeys?.has(key)) {
        wanted.delete(key);
        warnings.push(`group ${name} does not exist and createMissing is off`);
      }
    }
  }
  const added = [...wanted].filter(([key]) => !mine.has(key)).map(([, name]) => name);
  const removed = [...mine]
    .filter(([key]) => !wanted.has(key) && (protectedKeys.has(key) || (connector.groups.removeUnlisted && mapped.groups !== undefined)))
    .map(([, name]) => name);
  const final = new Map<string, string>([...others, ...mine]);
  for (const name of removed) if (!others.has(nameKey(name))) final.delete(nameKey(name));
  for (const name of added) if (!final.has(nameKey(name))) final.set(nameKey(name), name);
  return { added, removed, protectedDropped, final: [...final.values()].sort(compareNames) };
}

/**
 * The groups stored grants give a user when no connector decides (user sync off): a protected
 * group only when granted by hand, as a connector's grant of one may be stale.
 */
export function effectiveGroups(memberships: readonly StoredMembership[], protectedGroups: readonly string[]): string[] {
  const allProtected = new Set(protectedGroups.map(nameKey));
  const groups = new Map<string, string>();
  for (const row of memberships) {
    if (row.origin !== MANUAL_ORIGIN && allProtected.has(row.nameKey)) continue;
    if (!groups.has(row.nameKey)) groups.set(row.nameKey, row.name);
  }
  return [...groups.values()].sort(compareNames);
}

/** Empty accessGroups let every active user in; otherwise one of them is needed. */
export function hasAccess(accessGroups: readonly string[], groups: readonly string[]): boolean {
  if (accessGroups.length === 0) return true;
  const mine = new Set(groups.map(nameKey));
  return accessGroups.some((group) => mine.has(nameKey(group)));
}

export type PlannedDirectoryLogin =
  | { refusal: { code: ErrorCode; reason: string } }
  | { user: StoredUser; groups: string[] };

/**
 * User sync off: the user named by the usernameClaim must exist, active, in the first active
 * directory (by position) that holds the name, and be let in by accessGroups.
 */
export function planDirectoryLogin(
  claimName: string,
  username: string,
  usernameProblem: string | null,
  firstInDirectoryOrder: StoredUser | undefined,
  groups: string[],
  accessGroups: readonly string[],
): PlannedDirectoryLogin {
  const refuse = (code: ErrorCode, reason: string): PlannedDirectoryLogin => ({ refusal: { code, reason } });
  if (!username) return refuse(ErrorCode.USER_NOT_FOUND, `The token has no ${claimName} claim`);
  if (usernameProblem) return refuse(ErrorCode.USER_NOT_FOUND, `The ${claimName} claim is no valid username: it ${usernameProblem}`);
  const user = firstInDirectoryOrder;
  if (!user) return refuse(ErrorCode.USER_NOT_FOUND, `No user ${username} in an active directory`);
  if (!user.active) return refuse(ErrorCode.USER_INACTIVE, `User ${user.username} is deactivated`);
  if (!hasAccess(accessGroups, groups)) return refuse(ErrorCode.NO_APPLICATION_ACCESS, `User ${user.username} is in none of the access groups`);
  return { user, groups };
}
