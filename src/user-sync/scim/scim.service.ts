import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { scimPatch, ScimPatchOperation } from 'scim-patch';
import { isUniqueViolation } from '../../database/sql';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { ConfigChanges } from '../config/config-changes.service';
import { externalIdColumns, lookupKey, nameKey, nameProblem, primaryKeyHash, readPrimaryKey, textProblem, usernameColumns } from '../identity/identity-rules';
import { AuditStore } from '../store/audit.store';
import { GroupEntity } from '../store/group.entity';
import { GroupsStore } from '../store/groups.store';
import { ScimClientEntity } from '../store/scim-client.entity';
import { StoreTx } from '../store/store-tx';
import { UserEntity } from '../store/user.entity';
import { UsersStore } from '../store/users.store';
import { equalityOn, matches, parseFilter } from './scim-filter';
import { ScimError } from './scim-error';
import { LIST_SCHEMA, readBoolean, readUserFields, ScimGroup, ScimUser, toScimGroup, toScimUser, UserFields } from './scim-resources';

/** A directory larger than this answers only indexed filters (userName/externalId/displayName eq). */
const MAX_SCAN = 10_000;
const MAX_COUNT = 1_000;

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
 */
@Injectable()
export class ScimService {
  constructor(
    private readonly users: UsersStore,
    private readonly groups: GroupsStore,
    private readonly audit: AuditStore,
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
      found = user ? [toScimUser(user, base)] : [];
    } else if (externalId !== null) {
      const user = await this.users.byExternalIdHash(client.directoryId, primaryKeyHash(externalId));
      found = user && user.externalId === externalId ? [toScimUser(user, base)] : [];
    } else {
      const [all, total] = await this.users.inDirectory(client.directoryId, MAX_SCAN + 1);
      if (total > MAX_SCAN) throw new ScimError(400, `The directory holds more than ${MAX_SCAN} users: filter by userName or externalId eq`, 'tooMany');
      found = all.map((user) => toScimUser(user, base)).filter((user) => !filter || matches(filter, user));
    }
    return listResponse(found, startIndex, count);
  }

  async getUser(client: ScimClientEntity, id: string, base: string): Promise<ScimUser> {
    return toScimUser(await this.findUser(client, id), base);
  }

  async createUser(client: ScimClientEntity, body: Record<string, unknown>, base: string): Promise<ScimUser> {
    const fields = checkUser(readUserFields(body));
    const id = randomUUID();
    await this.write(client, async (tx) => {
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

  async replaceUser(client: ScimClientEntity, id: string, body: Record<string, unknown>, base: string): Promise<ScimUser> {
    const user = await this.findUser(client, id);
    await this.applyUser(client, user, checkUser(readUserFields({ ...body, ...(body.externalId === undefined && user.externalId !== null && { externalId: user.externalId }) })));
    return this.getUser(client, id, base);
  }

  async patchUser(client: ScimClientEntity, id: string, body: Record<string, unknown>, base: string): Promise<ScimUser> {
    const user = await this.findUser(client, id);
    const patched = applyPatch(toScimUser(user, base), body) as ScimUser & Record<string, unknown>;
    await this.applyUser(client, user, checkUser(readUserFields({ ...patched, active: readBoolean(patched.active, user.active) })));
    return this.getUser(client, id, base);
  }

  /** DELETE: deactivates, or deletes when the client is set to. */
  async deleteUser(client: ScimClientEntity, id: string): Promise<void> {
    const user = await this.findUser(client, id);
    await this.write(client, async (tx) => {
      if (client.deleteAction === 'delete') await this.users.delete(tx, user.id);
      else await this.users.update(tx, user.id, { active: false });
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
    const withMembers = !/(^|,)\s*members\s*(,|$)/i.test(query.excludedAttributes ?? '');
    const displayName = equalityOn(filter, 'displayName');
    let groups: GroupEntity[];
    if (displayName !== null) {
      const group = await this.groups.byKey(client.directoryId, nameKey(displayName));
      groups = group ? [group] : [];
    } else {
      const [all, total] = await this.groups.inDirectory(client.directoryId, MAX_SCAN + 1);
      if (total > MAX_SCAN) throw new ScimError(400, `The directory holds more than ${MAX_SCAN} groups: filter by displayName eq`, 'tooMany');
      groups = all;
    }
    const resources: ScimGroup[] = [];
    for (const group of groups) {
      const resource = toScimGroup(group, withMembers || filter ? await this.groups.membersByOrigin(group.id, client.id) : [], base);
      if (filter && !matches(filter, resource)) continue;
      resources.push(withMembers ? resource : { ...resource, members: [] });
    }
    const page = listResponse(resources, startIndex, count);
    return withMembers ? page : { ...page, Resources: page.Resources.map(({ members: _members, ...rest }) => rest) };
  }

  async getGroup(client: ScimClientEntity, id: string, base: string): Promise<ScimGroup> {
    const group = await this.findGroup(client, id);
    return toScimGroup(group, await this.groups.membersByOrigin(group.id, client.id), base);
  }

  async createGroup(client: ScimClientEntity, body: Record<string, unknown>, base: string): Promise<ScimGroup> {
    const name = checkGroupName(body.displayName);
    const members = memberIds(body.members);
    let id = '';
    await this.write(client, async (tx) => {
      if (await this.groups.keyTaken(client.directoryId, nameKey(name), tx)) throw new ScimError(409, `A group named ${name} exists`, 'uniqueness');
      id = (await this.groups.insert(tx, client.directoryId, name, `A group named ${name} exists`)).id;
      await this.setMembers(client, id, members, tx);
      await this.audit.configChange(tx, actorOf(client), { action: 'group.created', group: name, via: 'scim' }, { directoryId: client.directoryId });
    });
    return this.getGroup(client, id, base);
  }

  async replaceGroup(client: ScimClientEntity, id: string, body: Record<string, unknown>, base: string): Promise<ScimGroup> {
    const group = await this.findGroup(client, id);
    await this.applyGroup(client, group, checkGroupName(body.displayName ?? group.name), memberIds(body.members));
    return this.getGroup(client, id, base);
  }

  async patchGroup(client: ScimClientEntity, id: string, body: Record<string, unknown>, base: string): Promise<ScimGroup> {
    const group = await this.findGroup(client, id);
    const patched = applyPatch(await this.getGroup(client, id, base), body) as ScimGroup;
    await this.applyGroup(client, group, checkGroupName(patched.displayName), memberIds(patched.members));
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

  private async applyUser(client: ScimClientEntity, user: UserEntity, fields: UserFields): Promise<void> {
    await this.write(client, async (tx) => {
      await this.assertUnique(client, fields, user, tx);
      const renamed = nameKey(fields.userName) !== user.usernameKey || fields.userName !== user.username;
      await this.users.update(tx, user.id, {
        ...(renamed && usernameColumns(fields.userName)),
        displayName: fields.displayName,
        email: fields.email,
        active: fields.active,
        attributes: nameAttributes(user.attributes ?? {}, fields),
        ...externalIdColumns(fields.externalId),
      });
      const type = !user.active && fields.active ? 'user.reactivated' : user.active && !fields.active ? 'user.deactivated' : renamed ? 'user.renamed' : 'user.updated';
      await this.audit.record(tx, { type, actor: actorOf(client), directoryId: client.directoryId, username: fields.userName, details: { via: 'scim', ...(renamed && { from: user.username }) } });
    });
  }

  private async applyGroup(client: ScimClientEntity, group: GroupEntity, name: string, members: string[]): Promise<void> {
    await this.write(client, async (tx) => {
      if (nameKey(name) !== group.nameKey) {
        if (await this.groups.keyTaken(client.directoryId, nameKey(name), tx)) throw new ScimError(409, `A group named ${name} exists`, 'uniqueness');
      }
      if (name !== group.name) await this.groups.rename(tx, group.id, name);
      await this.setMembers(client, group.id, members, tx);
      await this.audit.record(tx, { type: 'groups.changed', actor: actorOf(client), directoryId: client.directoryId, details: { group: name, via: 'scim', members: members.length } });
    });
  }

  /** Makes this client's grants of the group exactly `userIds` (users of its directory). */
  private async setMembers(client: ScimClientEntity, groupId: string, userIds: string[], tx: StoreTx): Promise<void> {
    const wanted = new Set(userIds);
    for (const userId of wanted) {
      if (!(await this.users.byId(client.directoryId, userId, tx))) throw new ScimError(400, `No user ${userId} in this directory`, 'invalidValue');
    }
    const current = new Set((await this.groups.membersByOrigin(groupId, client.id, tx)).map((member) => member.userId));
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

  /** One transaction; caches everywhere learn of it (a deactivated user is refused at once). */
  private async write(client: ScimClientEntity, work: (tx: StoreTx) => Promise<void>): Promise<void> {
    try {
      await this.transactions.run(async (tx) => {
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
    if (!user) throw new ScimError(404, `No user ${id.slice(0, 64)}`);
    return user;
  }

  private async findGroup(client: ScimClientEntity, id: string): Promise<GroupEntity> {
    const group = isUuid(id) ? await this.groups.byId(client.directoryId, id) : null;
    if (!group) throw new ScimError(404, `No group ${id.slice(0, 64)}`);
    return group;
  }
}

function actorOf(client: ScimClientEntity): string {
  return `scim:${client.name}`;
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function paging(query: ListQuery): { startIndex: number; count: number } {
  const startIndex = Math.max(1, Number.parseInt(query.startIndex ?? '1', 10) || 1);
  const count = Math.min(MAX_COUNT, Math.max(0, Number.parseInt(query.count ?? '100', 10) || (query.count === '0' ? 0 : 100)));
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
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name) throw new ScimError(400, 'displayName is required', 'invalidValue');
  const problem = nameProblem(name);
  if (problem) throw new ScimError(400, `displayName ${problem}`, 'invalidValue');
  return name;
}

function memberIds(members: unknown): string[] {
  if (members === undefined || members === null) return [];
  if (!Array.isArray(members)) throw new ScimError(400, 'members must be a list', 'invalidValue');
  return [...new Set(members.map((member) => (typeof member?.value === 'string' ? member.value : '')).filter(Boolean))];
}

function nameAttributes(attributes: Record<string, string>, fields: UserFields): Record<string, string> {
  const next = { ...attributes };
  for (const key of ['givenName', 'familyName'] as const) {
    if (fields[key]) next[key] = fields[key] as string;
    else delete next[key];
  }
  return next;
}

/** RFC 7644 §3.5.2 with scim-patch; op names in any case (Entra ID sends "Replace"). */
function applyPatch<T extends object>(resource: T, body: Record<string, unknown>): T {
  const operations = body.Operations;
  if (!Array.isArray(operations) || operations.length === 0) throw new ScimError(400, 'Operations must be a non-empty list', 'invalidSyntax');
  if (operations.length > 1000) throw new ScimError(400, 'At most 1000 operations', 'invalidSyntax');
  const normalized = operations.map((operation: Record<string, unknown>) => ({ ...operation, op: String(operation?.op ?? '').toLowerCase() })) as ScimPatchOperation[];
  try {
    return scimPatch(structuredClone({ ...resource, meta: { ...(resource as { meta: object }).meta } }) as never, normalized, { treatMissingAsAdd: true }) as T;
  } catch (error) {
    const name = (error as Error).constructor?.name ?? '';
    throw new ScimError(400, `The patch cannot be applied: ${(error as Error).message}`, name === 'NoTarget' ? 'noTarget' : name === 'InvalidScimPatchOp' ? 'invalidPath' : 'invalidValue');
  }
}
