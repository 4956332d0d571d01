import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../database/sql';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { AdminSafeguard } from '../config/admin-safeguard.service';
import { AlbSettingsService } from '../config/alb-settings.service';
import { ConfigChanges } from '../config/config-changes.service';
import { ConfigSnapshotService } from '../config/config-snapshot.service';
import { externalIdColumns, lookupKey, nameKey, nameProblem, primaryKeyHash, readPrimaryKey, textProblem, usernameColumns } from '../identity/identity-rules';
import { AuditStore } from '../store/audit.store';
import { GroupEntity } from '../store/group.entity';
import { GroupsStore } from '../store/groups.store';
import { ScimClientEntity } from '../store/scim-client.entity';
import { ScimClientsStore } from '../store/scim-clients.store';
import { StoreTx } from '../store/store-tx';
import { UserEntity } from '../store/user.entity';
import { UsersStore } from '../store/users.store';
import { equalityOn, matches, parseFilter } from './scim-filter';
import { ScimError } from './scim-error';
import { applyGroupOperations, applyUserOperations, memberList, readOperations } from './scim-patch-ops';
import { safeJson } from './scim-paths';
import { LIST_SCHEMA, readUserFields, ScimGroup, ScimUser, toScimGroup, toScimUser, UserFields } from './scim-resources';

/** A directory larger than this answers only indexed filters (userName/externalId/displayName eq). */
const MAX_SCAN = 10_000;
export const MAX_COUNT = 1_000;

export interface ListQuery {
  filter?: string;
  startIndex?: string;
  count?: string;
  excludedAttributes?: string;
}

/**
 * SCIM 2.0 Users and Groups of one client's directory. Users are the directory's users (SCIM
 * `externalId` = the connector's primary key, so an ALB login finds the same user); group grants
 * carry the client's id as origin, so a JIT connector's removeUnlisted never removes them.
 *
 * What a SCIM client may not do (README "Who is who: the identity rule", docs/scim.md): change a user's `externalId`
 * once the user exists (the binding is the login's identity), or see, create, rename or change the
 * members of a protected group (settings protectedGroups, the admin groups among them).
 */
@Injectable()
export class ScimService {
  constructor(
    private readonly users: UsersStore,
    private readonly groups: GroupsStore,
    private readonly clients: ScimClientsStore,
    private readonly audit: AuditStore,
    private readonly settings: AlbSettingsService,
    private readonly config: ConfigSnapshotService,
    private readonly safeguard: AdminSafeguard,
    private readonly transactions: TransactionRunner,
    private readonly changes: ConfigChanges,
  ) {}

  async listUsers(client: ScimClientEntity, query: ListQuery, base: string) {
    const filter = parseFilter(query.filter);
    const { startIndex, count } = paging(query);
    const userName = equalityOn(filter, 'userName');
    const externalId = equalityOn(filter, 'externalId');
    let found: ScimUser[];
    if (userName !== null) {
      const key = lookupKey(userName);
      const user = key === null ? null : await this.users.byUsernameKey(client.directoryId, key);
      found = user && visible(user) ? [toScimUser(user, base)] : [];
    } else if (externalId !== null) {
      const user = await this.users.byExternalIdHash(client.directoryId, primaryKeyHash(externalId));
      found = user && visible(user) && user.externalId === externalId ? [toScimUser(user, base)] : [];
    } else {
      const [all, total] = await this.users.inDirectory(client.directoryId, MAX_SCAN + 1);
      if (total > MAX_SCAN) throw new ScimError(400, `The directory holds more than ${MAX_SCAN} users: filter by userName or externalId eq`, 'tooMany');
      found = all.filter(visible).map((user) => toScimUser(user, base)).filter((user) => !filter || matches(filter, user));
    }
    return listResponse(found, startIndex, count);
  }

  async getUser(client: ScimClientEntity, id: string, base: string): Promise<ScimUser> {
    return toScimUser(await this.findUser(client, id), base);
  }

  /** POST; a user this client deleted (deactivated) and now sends again, with the same externalId, comes back. */
  async createUser(client: ScimClientEntity, body: Record<string, unknown>, base: string): Promise<ScimUser> {
    const fields = checkUser(readUserFields(safeBody(body), true));
    let id: string = randomUUID();
    await this.write(client, async (tx) => {
      const deleted = await this.deletedMatch(client, fields, tx);
      if (deleted) {
        id = deleted.id;
        await this.updateUser(client, deleted, fields, tx, true);
        return;
      }
      await this.assertUnique(client, fields, null, tx);
      await this.users.insert(tx, {
        id,
        directoryId: client.directoryId,
        ...usernameColumns(fields.userName),
        displayName: fields.displayName,
        email: fields.email,
        active: fields.active,
        attributes: nameAttributes({}, fields),
        ...externalIdColumns(fields.externalId),
        lastLoginAt: null,
      });
      await this.audit.record(tx, { type: 'user.created', actor: actorOf(client), directoryId: client.directoryId, username: fields.userName, details: { via: 'scim' } });
    });
    return this.getUser(client, id, base);
  }

  /** PUT: the body replaces the user; an absent `externalId` or `active` keeps the stored one. */
  async replaceUser(client: ScimClientEntity, id: string, body: Record<string, unknown>, base: string): Promise<ScimUser> {
    const user = await this.findUser(client, id);
    const safe = safeBody(body);
    assertSameId(safe.id, user.id);
    const fields = checkUser(readUserFields({ ...safe, ...(safe.externalId === undefined && { externalId: user.externalId }) }, user.active));
    await this.write(client, (tx) => this.updateUser(client, user, fields, tx));
    return this.getUser(client, id, base);
  }

  async patchUser(client: ScimClientEntity, id: string, body: Record<string, unknown>, base: string): Promise<ScimUser> {
    const user = await this.findUser(client, id);
    const operations = readOperations(body, 'User');
    const resource = toScimUser(user, base);
    const patched = applyUserOperations(resource, operations) as ScimUser & Record<string, unknown>;
    assertSameId(patched.id, user.id);
    const fields = checkUser(readUserFields({ ...patched, externalId: patched.externalId ?? null }, null));
    await this.write(client, (tx) => this.updateUser(client, user, fields, tx));
    return this.getUser(client, id, base);
  }

  /** DELETE: deactivates (then 404 to SCIM until reactivated), or deletes when the client is set to. */
  async deleteUser(client: ScimClientEntity, id: string): Promise<void> {
    const user = await this.findUser(client, id);
    await this.write(client, async (tx) => {
      await this.safeguard.assertAdminsRemain(tx, { userIds: [user.id] }, `Deleting ${user.username} over SCIM`);
      if (client.deleteAction === 'delete') await this.users.delete(tx, user.id);
      else {
        // Gone for SCIM: out of this client's groups too (its other grants stay, as on a real delete they would not matter).
        await this.users.update(tx, user.id, { active: false, scimDeletedAt: new Date() });
        await this.groups.revokeAllFromUser(tx, user.id, client.id);
      }
      await this.audit.record(tx, {
        type: client.deleteAction === 'delete' ? 'user.deleted' : 'user.deactivated',
        actor: actorOf(client),
        directoryId: client.directoryId,
        username: user.username,
        details: { via: 'scim' },
      });
    });
  }

  async listGroups(client: ScimClientEntity, query: ListQuery, base: string) {
    const filter = parseFilter(query.filter);
    const { startIndex, count } = paging(query);
    const withMembers = !excludesMembers(query.excludedAttributes);
    const displayName = equalityOn(filter, 'displayName');
    const protectedKeys = await this.protectedKeys();
    let groups: GroupEntity[];
    if (displayName !== null) {
      const group = await this.groups.byKey(client.directoryId, nameKey(displayName));
      groups = group ? [group] : [];
    } else {
      const [all, total] = await this.groups.inDirectory(client.directoryId, MAX_SCAN + 1);
      if (total > MAX_SCAN) throw new ScimError(400, `The directory holds more than ${MAX_SCAN} groups: filter by displayName eq`, 'tooMany');
      groups = all;
    }
    const resources: Array<ScimGroup | Omit<ScimGroup, 'members'>> = [];
    for (const group of groups) {
      if (protectedKeys.has(group.nameKey)) continue;
      const resource = toScimGroup(group, withMembers || filter ? await this.groups.membersByOrigin(group.id, client.id) : [], base);
      if (filter && !matches(filter, resource)) continue;
      resources.push(withMembers ? resource : withoutMembers(resource));
    }
    return listResponse(resources, startIndex, count);
  }

  async getGroup(client: ScimClientEntity, id: string, base: string, excludedAttributes?: string): Promise<ScimGroup | Omit<ScimGroup, 'members'>> {
    const group = await this.findGroup(client, id);
    if (excludesMembers(excludedAttributes)) return withoutMembers(toScimGroup(group, [], base));
    return toScimGroup(group, await this.groups.membersByOrigin(group.id, client.id), base);
  }

  async createGroup(client: ScimClientEntity, body: Record<string, unknown>, base: string) {
    const safe = safeBody(body);
    const name = checkGroupName(safe.displayName);
    const members = safe.members === undefined || safe.members === null ? [] : memberIdsOf(safe.members);
    let id = '';
    await this.write(client, async (tx) => {
      await this.assertNotProtected(name, tx);
      if (await this.groups.keyTaken(client.directoryId, nameKey(name), tx)) throw new ScimError(409, `A group named ${name} exists`, 'uniqueness');
      id = (await this.groups.insert(tx, client.directoryId, name, `A group named ${name} exists`)).id;
      await this.setMembers(client, id, members, tx);
      await this.audit.configChange(tx, actorOf(client), { action: 'group.created', group: name, via: 'scim' }, { directoryId: client.directoryId });
    });
    return this.getGroup(client, id, base);
  }

  async replaceGroup(client: ScimClientEntity, id: string, body: Record<string, unknown>, base: string) {
    const group = await this.findGroup(client, id);
    const safe = safeBody(body);
    assertSameId(safe.id, group.id);
    const members = safe.members === undefined || safe.members === null ? [] : memberIdsOf(safe.members);
    await this.applyGroup(client, group, checkGroupName(safe.displayName ?? group.name), members);
    return this.getGroup(client, id, base);
  }

  async patchGroup(client: ScimClientEntity, id: string, body: Record<string, unknown>, base: string) {
    const group = await this.findGroup(client, id);
    const operations = readOperations(body, 'Group');
    const current = await this.groups.membersByOrigin(group.id, client.id);
    const next = applyGroupOperations({ id: group.id, displayName: group.name, members: current.map((member) => ({ value: member.userId, display: member.username })) }, operations);
    await this.applyGroup(client, group, checkGroupName(next.displayName), next.memberIds);
    return this.getGroup(client, id, base);
  }

  /** Takes back this client's grants of the group; the group goes when nothing else grants it. */
  async deleteGroup(client: ScimClientEntity, id: string): Promise<void> {
    const group = await this.findGroup(client, id);
    await this.write(client, async (tx) => {
      const members = await this.groups.membersByOrigin(group.id, client.id, tx);
      await this.groups.revokeFromUsers(tx, group.id, members.map((member) => member.userId), client.id);
      if ((await this.groups.membershipCount(group.id, tx)) === 0) await this.groups.delete(tx, group.id);
      await this.audit.configChange(tx, actorOf(client), { action: 'group.deleted', group: group.name, via: 'scim' }, { directoryId: client.directoryId });
    });
  }

  /**
   * The user's binding never changes through SCIM: set when SCIM creates the user, or by its first
   * ALB login. Until that login, the userName is what the login binds by, so SCIM cannot change it.
   */
  private async updateUser(client: ScimClientEntity, user: UserEntity, fields: UserFields, tx: StoreTx, revived = false): Promise<void> {
    if (user.externalId === null && nameKey(fields.userName) !== user.usernameKey) {
      throw new ScimError(400, 'userName is immutable while the user has no externalId: its first ALB login binds it by this name', 'mutability');
    }
    if (fields.externalId !== user.externalId) {
      throw new ScimError(
        400,
        user.externalId === null
          ? 'externalId is immutable: SCIM sets it only when it creates a user; this user is bound by its first ALB login'
          : 'externalId is immutable: it is the primary key the user signs in with',
        'mutability',
      );
    }
    await this.assertUnique(client, fields, user, tx);
    if (user.active && !fields.active) await this.safeguard.assertAdminsRemain(tx, { userIds: [user.id] }, `Deactivating ${user.username} over SCIM`);
    const renamed = nameKey(fields.userName) !== user.usernameKey || fields.userName !== user.username;
    await this.users.update(tx, user.id, {
      ...(renamed && usernameColumns(fields.userName)),
      displayName: fields.displayName,
      email: fields.email,
      active: fields.active,
      attributes: nameAttributes(user.attributes ?? {}, fields),
      ...((fields.active || revived) && { scimDeletedAt: null }),
    });
    const type = !user.active && fields.active ? 'user.reactivated' : user.active && !fields.active ? 'user.deactivated' : renamed ? 'user.renamed' : 'user.updated';
    await this.audit.record(tx, { type, actor: actorOf(client), directoryId: client.directoryId, username: fields.userName, details: { via: 'scim', ...(renamed && { from: user.username }) } });
  }

  /** A user this client's DELETE deactivated, sent again under the same userName or key with the same externalId. */
  private async deletedMatch(client: ScimClientEntity, fields: UserFields, tx: StoreTx): Promise<UserEntity | null> {
    const byName = await this.users.byUsernameKey(client.directoryId, nameKey(fields.userName), tx);
    const byKey = fields.externalId === null ? null : await this.users.byExternalIdHash(client.directoryId, primaryKeyHash(fields.externalId), tx);
    const candidate = byKey ?? byName;
    if (!candidate || visible(candidate) || (byName && byName.id !== candidate.id)) return null;
    return candidate.externalId === fields.externalId ? candidate : null;
  }

  private async applyGroup(client: ScimClientEntity, group: GroupEntity, name: string, members: string[]): Promise<void> {
    await this.write(client, async (tx) => {
      if (nameKey(name) !== group.nameKey) {
        await this.assertNotProtected(name, tx);
        if (await this.groups.keyTaken(client.directoryId, nameKey(name), tx)) throw new ScimError(409, `A group named ${name} exists`, 'uniqueness');
      }
      if (name !== group.name) await this.groups.rename(tx, group.id, name);
      await this.setMembers(client, group.id, members, tx);
      await this.audit.record(tx, { type: 'groups.changed', actor: actorOf(client), directoryId: client.directoryId, details: { group: name, via: 'scim', members: members.length } });
    });
  }

  /** Makes this client's grants of the group exactly `userIds` (users of its directory SCIM can see). */
  private async setMembers(client: ScimClientEntity, groupId: string, userIds: string[], tx: StoreTx): Promise<void> {
    const wanted = new Set(userIds);
    const current = new Set((await this.groups.membersByOrigin(groupId, client.id, tx)).map((member) => member.userId));
    for (const userId of wanted) {
      if (current.has(userId)) continue;
      const user = isUuid(userId) ? await this.users.byId(client.directoryId, userId, tx) : null;
      if (!user || !visible(user)) throw new ScimError(400, `No user ${userId.slice(0, 64)} in this directory`, 'invalidValue');
    }
    await this.groups.grantToUsers(tx, groupId, [...wanted].filter((id) => !current.has(id)), client.id);
    await this.groups.revokeFromUsers(tx, groupId, [...current].filter((id) => !wanted.has(id)), client.id);
  }

  private async assertUnique(client: ScimClientEntity, fields: UserFields, self: UserEntity | null, tx: StoreTx): Promise<void> {
    const byName = await this.users.byUsernameKey(client.directoryId, nameKey(fields.userName), tx);
    if (byName && byName.id !== self?.id) throw new ScimError(409, `userName ${fields.userName} is taken`, 'uniqueness');
    if (fields.externalId !== null) {
      const byKey = await this.users.byExternalIdHash(client.directoryId, primaryKeyHash(fields.externalId), tx);
      if (byKey && byKey.id !== self?.id) throw new ScimError(409, 'externalId belongs to another user', 'uniqueness');
    }
  }

  /** Reads use the config snapshot (kept until a change); a write reads the settings in its transaction. */
  private async protectedKeys(tx?: StoreTx): Promise<Set<string>> {
    const settings = tx ? await this.settings.get(tx) : (await this.config.get()).settings;
    return new Set(settings.protectedGroups.map(nameKey));
  }

  private async assertNotProtected(name: string, tx: StoreTx): Promise<void> {
    if ((await this.protectedKeys(tx)).has(nameKey(name))) {
      throw new ScimError(403, `${name} is a protected group (settings protectedGroups, the admin groups among them): SCIM cannot create, rename to or change it`);
    }
  }

  /** One transaction, while the client and its directory exist; caches everywhere learn of it (a deactivated user is refused at once). */
  private async write(client: ScimClientEntity, work: (tx: StoreTx) => Promise<void>): Promise<void> {
    try {
      await this.transactions.run(async (tx) => {
        if (!(await this.clients.stillValid(tx, client))) throw new ScimError(401, 'This SCIM client was revoked');
        await work(tx);
        await this.changes.changed(tx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ScimError(409, 'The userName, externalId or group name is taken', 'uniqueness');
      throw error;
    }
  }

  private async findUser(client: ScimClientEntity, id: string): Promise<UserEntity> {
    const user = isUuid(id) ? await this.users.byId(client.directoryId, id) : null;
    if (!user || !visible(user)) throw new ScimError(404, `No user ${id.slice(0, 64)}`);
    return user;
  }

  /** A protected group is not there, as far as SCIM can tell. */
  private async findGroup(client: ScimClientEntity, id: string): Promise<GroupEntity> {
    const group = isUuid(id) ? await this.groups.byId(client.directoryId, id) : null;
    if (!group || (await this.protectedKeys()).has(group.nameKey)) throw new ScimError(404, `No group ${id.slice(0, 64)}`);
    return group;
  }
}

/** A user a SCIM DELETE deactivated is gone for SCIM (RFC 7644 §3.6) until something reactivates it. */
function visible(user: UserEntity): boolean {
  return user.active || !user.scimDeletedAt;
}

function actorOf(client: ScimClientEntity): string {
  return `scim:${client.name}`;
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function safeBody(body: Record<string, unknown>): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ScimError(400, 'The body must be a JSON object', 'invalidSyntax');
  return safeJson(body) as Record<string, unknown>;
}

/** `id` is read-only: a body may repeat it, never change it. */
function assertSameId(id: unknown, actual: string): void {
  if (id !== undefined && id !== null && id !== actual) throw new ScimError(400, 'id is read-only', 'mutability');
}

function excludesMembers(excludedAttributes: string | undefined): boolean {
  return (excludedAttributes ?? '').split(',').some((name) => /^\s*(urn:ietf:params:scim:schemas:core:2\.0:Group:)?members\s*$/i.test(name));
}

function withoutMembers({ members: _members, ...rest }: ScimGroup): Omit<ScimGroup, 'members'> {
  return rest;
}

/** startIndex and count as RFC 7644 §3.4.2.4 reads them: integers; below 1 is 1, below 0 is 0; count at most MAX_COUNT. */
function paging(query: ListQuery): { startIndex: number; count: number } {
  const integer = (value: string | undefined, name: string, fallback: number) => {
    if (value === undefined || value === '') return fallback;
    if (!/^-?\d{1,15}$/.test(value)) throw new ScimError(400, `${name} must be an integer`, 'invalidValue');
    return Number(value);
  };
  const startIndex = Math.max(1, integer(query.startIndex, 'startIndex', 1));
  const count = Math.min(MAX_COUNT, Math.max(0, integer(query.count, 'count', 100)));
  return { startIndex, count };
}

function listResponse<T>(all: T[], startIndex: number, count: number) {
  const Resources = all.slice(startIndex - 1, startIndex - 1 + count);
  return { schemas: [LIST_SCHEMA], totalResults: all.length, startIndex, itemsPerPage: Resources.length, Resources };
}

function checkUser(fields: UserFields): UserFields {
  if (!fields.userName) throw new ScimError(400, 'userName is required', 'invalidValue');
  const problem = nameProblem(fields.userName);
  if (problem) throw new ScimError(400, `userName ${problem}`, 'invalidValue');
  if (fields.externalId !== null) {
    const key = readPrimaryKey(fields.externalId);
    if ('problem' in key) throw new ScimError(400, `externalId ${key.problem}`, 'invalidValue');
  }
  for (const [name, value, max] of [['displayName', fields.displayName, 255], ['email', fields.email, 320]] as const) {
    const bad = textProblem(value, max);
    if (bad) throw new ScimError(400, `${name} ${bad}`, 'invalidValue');
  }
  return fields;
}

function checkGroupName(value: unknown): string {
  if (value !== undefined && value !== null && typeof value !== 'string') throw new ScimError(400, 'displayName must be a string', 'invalidValue');
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name) throw new ScimError(400, 'displayName is required', 'invalidValue');
  const problem = nameProblem(name);
  if (problem) throw new ScimError(400, `displayName ${problem}`, 'invalidValue');
  return name;
}

function memberIdsOf(members: unknown): string[] {
  if (!Array.isArray(members)) throw new ScimError(400, 'members must be a list', 'invalidValue');
  return [...new Set(memberList(members))];
}

function nameAttributes(attributes: Record<string, string>, fields: UserFields): Record<string, string> {
  const next = { ...attributes };
  for (const key of ['givenName', 'familyName'] as const) {
    if (fields[key]) next[key] = fields[key] as string;
    else delete next[key];
  }
  return next;
}
