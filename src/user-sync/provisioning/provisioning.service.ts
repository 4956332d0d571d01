import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AlbPrincipal, AlbPrincipalResolver } from '../../alb-auth/alb-principal';
import { AlbSettings } from '../../alb-auth/settings/alb-settings.service';
import { VerifiedAlbToken } from '../../alb-auth/verifier/alb-token.types';
import { insertRows } from '../../common/database/sql';
import { DomainError } from '../../common/errors/domain-error';
import { metrics } from '../../common/metrics';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { AuditService } from '../audit/audit.service';
import { ConnectorEntity } from '../connectors/connector.entity';
import { DirectoryEntity } from '../directories/directory.entity';
import { GroupEntity } from '../directories/group.entity';
import { GroupsService } from '../directories/groups.service';
import { MembershipEntity } from '../directories/membership.entity';
import {
  compareNames,
  externalIdColumns,
  lookupKey,
  nameKey,
  nameProblem,
  primaryKeyHash,
  readPrimaryKey,
  usernameColumns,
  usernameSkeleton,
} from '../identity/identity-rules';
import { UserEntity } from '../directories/user.entity';
import { lookup, MappingService } from '../mapping/mapping.service';
import { MappingResult } from '../mapping/mapping.types';
import { USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../user-sync.options';
import { ConfigSnapshot, ConfigSnapshotService } from './config-snapshot.service';
import { LoginPlan, PlannedUser } from './login-plan';
import { ProvisioningCache } from './provisioning-cache';

export const LOGIN_ACTOR = 'login';

export interface UserSyncPrincipal extends AlbPrincipal {
  user: { username: string; displayName: string; email: string; active: boolean; attributes: Record<string, string> };
  directory: { id: string; name: string };
}

/**
 * Runs inside AlbAuthGuard after the token is verified: finds or provisions the user (JIT), checks
 * application access and returns the principal. Steady-state requests are served from a
 * per-instance cache; a login whose mapped result is unchanged writes nothing.
 */
@Injectable()
export class ProvisioningService extends AlbPrincipalResolver {
  private readonly cache = new ProvisioningCache();
  private readonly lastLoginIntervalMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly config: ConfigSnapshotService,
    private readonly mapping: MappingService,
    private readonly groups: GroupsService,
    private readonly audit: AuditService,
    @Inject(USER_SYNC_OPTIONS) options: UserSyncModuleOptions,
  ) {
    super();
    this.lastLoginIntervalMs = options.lastLoginIntervalMs ?? 5 * 60_000;
    config.onChange(() => this.cache.clear());
  }

  async resolve(token: VerifiedAlbToken): Promise<AlbPrincipal> {
    const remembered = this.cache.forToken(token);
    if (remembered) return countLogin('cached', () => remembered.unwrap(token));
    const snapshot = await this.config.get();
    const { entry, decision } = snapshot.connector
      ? await this.viaConnector(snapshot, snapshot.connector, token)
      : await this.viaDirectories(snapshot, token);
    this.cache.rememberToken(token, entry);
    return countLogin(decision, () => entry.unwrap(token));
  }

  /** POST /connectors/:id/preview: what a login with these claims would do; writes nothing. */
  async preview(connector: ConnectorEntity, claims: Record<string, unknown>) {
    const snapshot = await this.config.get();
    const mapped = this.mapping.map(connector, claims);
    const plan = await this.plan(this.dataSource.manager, connector, claims, mapped, snapshot.settings);
    return {
      user: plan.user ?? null,
      groups: plan.groups,
      access: plan.access,
      decision: plan.decision,
      ...(plan.refusal && { reason: { code: plan.refusal.code, message: plan.refusal.reason } }),
      changes: plan.changes,
      groupsAdded: plan.groupsAdded,
      groupsRemoved: plan.groupsRemoved,
      warnings: plan.warnings,
    };
  }

  private async viaConnector(snapshot: ConfigSnapshot, connector: ConnectorEntity, token: VerifiedAlbToken) {
    const mapped = this.mapping.map(connector, token.claims);
    const print = fingerprint(connector, token.claims, mapped);
    const key = `c:${connector.id}:${connector.version}:${print}`;
    const cached = this.cache.get(key);
    if (cached) return { entry: cached, decision: 'cached' };

    let plan = await this.plan(this.dataSource.manager, connector, token.claims, mapped, snapshot.settings, print);
    let userId = plan.existingId;
    if (needsWrites(plan, this.lastLoginIntervalMs) || plan.refusal) {
      ({ plan, userId } = await this.transactions.retrying(async (manager) => {
        const fresh = await this.plan(manager, connector, token.claims, mapped, snapshot.settings, print);
        const id = await this.apply(manager, connector, fresh);
        return { plan: fresh, userId: id };
      }));
    }
    const directory = snapshot.directories.get(connector.directoryId);
    const entry = this.toEntry(plan, directory, userId);
    this.cache.set(key, entry);
    return { entry, decision: plan.decision };
  }

  private async viaDirectories(snapshot: ConfigSnapshot, token: VerifiedAlbToken) {
    const claimName = snapshot.settings.usernameClaim;
    const raw = lookup(token.claims, claimName);
    const username = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
    const key = `d:${nameKey(username)}`;
    const cached = this.cache.get(key);
    if (cached) return { entry: cached, decision: 'cached' };
    const entry = await this.findExisting(snapshot, claimName, username);
    this.cache.set(key, entry);
    return { entry, decision: 'lookup' };
  }

  private async findExisting(snapshot: ConfigSnapshot, claimName: string, username: string) {
    const refuse = async (code: ErrorCode, reason: string) => {
      await this.refused(null, username || null, code, reason);
      return ProvisioningCache.refusal(new DomainError(code, reason));
    };
    if (!username) return refuse(ErrorCode.USER_NOT_FOUND, `The token has no ${claimName} claim`);
    const usernameKey = lookupKey(username);
    if (usernameKey === null) {
      return refuse(ErrorCode.USER_NOT_FOUND, `The ${claimName} claim is no valid username: it ${nameProblem(username)}`);
    }
    const directoryIds = snapshot.activeDirectories.map((directory) => directory.id);
    const candidates = directoryIds.length
      ? await this.dataSource.manager.findBy(UserEntity, { usernameKey, directoryId: In(directoryIds) })
      : [];
    const user = snapshot.activeDirectories
      .map((directory) => candidates.find((candidate) => candidate.directoryId === directory.id))
      .find(Boolean);
    if (!user) return refuse(ErrorCode.USER_NOT_FOUND, `No user ${username} in an active directory`);
    if (!user.active) return refuse(ErrorCode.USER_INACTIVE, `User ${user.username} is deactivated`);
    const groups = (await this.groups.namesByUser(this.dataSource.manager, [user.id])).get(user.id) ?? [];
    if (!hasAccess(snapshot.settings, groups)) {
      return refuse(ErrorCode.NO_APPLICATION_ACCESS, `User ${user.username} is in none of the access groups`);
    }
    if (!user.lastLoginAt || Date.now() - user.lastLoginAt.getTime() > this.lastLoginIntervalMs) {
      await this.dataSource.manager.update(UserEntity, { id: user.id }, { lastLoginAt: new Date() });
    }
    return ProvisioningCache.principal({
      username: user.username,
      groups,
      user: toPrincipalUser(user),
      directory: directoryRef(snapshot.directories.get(user.directoryId)),
    });
  }

  /** Reads what exists and decides; never writes. */
  private async plan(
    manager: EntityManager,
    connector: ConnectorEntity,
    claims: Record<string, unknown>,
    mapped: MappingResult,
    settings: AlbSettings,
    print: string = fingerprint(connector, claims, mapped),
  ): Promise<LoginPlan & { existingLastLogin?: Date | null }> {
    const plan: LoginPlan & { existingLastLogin?: Date | null } = {
      decision: 'refuse',
      changes: [],
      reactivate: false,
      groupsAdded: [],
      groupsRemoved: [],
      groups: [],
      access: false,
      fingerprint: print,
      warnings: [...mapped.warnings],
    };
    const refuse = (code: ErrorCode, reason: string) => Object.assign(plan, { decision: 'refuse', refusal: { code, reason } });
    if (mapped.rejected) return refuse(ErrorCode.PROVISIONING_REJECTED, `Provisioning rejected: ${mapped.rejected.reason}`);
    const username = mapped.user.username;
    if (!username) return refuse(ErrorCode.PROVISIONING_REJECTED, 'Provisioning rejected: no username could be mapped');

    const primary = readPrimaryKey(lookup(claims, connector.primaryKey));
    if ('missing' in primary) {
      return refuse(ErrorCode.PROVISIONING_REJECTED, `Provisioning rejected: the token has no ${connector.primaryKey} claim (the connector's primary key)`);
    }
    if ('problem' in primary) {
      return refuse(ErrorCode.PROVISIONING_REJECTED, `Provisioning rejected: the ${connector.primaryKey} claim (the connector's primary key) ${primary.problem}`);
    }
    const externalId = primary.value;

    // A user bound to a primary key is reached through that key only; by username only while unbound.
    const directoryId = connector.directoryId;
    const byKey = await manager.findOneBy(UserEntity, { directoryId, externalIdHash: primaryKeyHash(externalId) });
    if (byKey && byKey.externalId !== externalId) return refuse(ErrorCode.CONFLICT, `Primary key ${connector.primaryKey} does not match the stored one`);
    let existing = byKey;
    const byName = await manager.findOneBy(UserEntity, { directoryId, usernameKey: nameKey(username) });
    if (!existing && byName) {
      if (byName.externalId !== null) return refuse(ErrorCode.CONFLICT, `Username ${username} belongs to another identity`);
      existing = byName;
    }
    const policyAllows = (attribute: string) => (mapped.policies[attribute] ?? 'always') === 'always';

    let user: PlannedUser;
    if (!existing) {
      const missing = (['username', 'displayName', 'email'] as const).filter((field) => !mapped.user[field]);
      if (missing.length) return refuse(ErrorCode.PROVISIONING_REJECTED, `Cannot create the user: no value for ${missing.join(', ')}`);
      user = {
        username,
        displayName: mapped.user.displayName as string,
        email: mapped.user.email as string,
        active: true,
        attributes: Object.fromEntries(Object.entries(mapped.attributes).filter(([, value]) => value !== '')),
        externalId,
      };
      if (await this.looksTaken(manager, connector, username, null)) {
        return refuse(ErrorCode.CONFLICT, `Username ${username} looks like another user's (refuseLookalikeUsernames)`);
      }
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
          if (await this.looksTaken(manager, connector, username, existing.id)) {
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
    plan.user = user;

    const groupPlan = await this.planGroups(manager, connector, mapped, existing, plan.warnings);
    plan.groupsAdded = groupPlan.added;
    plan.groupsRemoved = groupPlan.removed;
    plan.groups = groupPlan.final;
    if (plan.decision === 'unchanged' && (groupPlan.added.length || groupPlan.removed.length)) plan.decision = 'update';
    plan.access = hasAccess(settings, plan.groups);
    if (!plan.access) {
      plan.refusal = { code: ErrorCode.NO_APPLICATION_ACCESS, reason: `User ${user.username} is in none of the access groups` };
    }
    return plan;
  }

  /** With refuseLookalikeUsernames: another user's name has the same TR39 skeleton as `username`. */
  private async looksTaken(manager: EntityManager, connector: ConnectorEntity, username: string, selfId: string | null): Promise<boolean> {
    if (!connector.users.refuseLookalikeUsernames) return false;
    const lookalikes = await manager.find(UserEntity, {
      select: { id: true },
      where: { directoryId: connector.directoryId, usernameSkeleton: usernameSkeleton(username) },
      take: 2,
    });
    return lookalikes.some((other) => other.id !== selfId);
  }

  private async planGroups(
    manager: EntityManager,
    connector: ConnectorEntity,
    mapped: MappingResult,
    existing: UserEntity | null,
    warnings: string[],
  ): Promise<{ added: string[]; removed: string[]; final: string[] }> {
    const memberships = existing
      ? await manager
          .createQueryBuilder(MembershipEntity, 'm')
          .innerJoin(GroupEntity, 'g', 'g.id = m.group_id')
          .select(['m.origin AS origin', 'g.name AS name', 'g.name_key AS nameKey'])
          .where('m.user_id = :userId', { userId: existing.id })
          .getRawMany<{ origin: string; name: string; nameKey: string }>()
      : [];
    const mine = new Map(memberships.filter((row) => row.origin === connector.id).map((row) => [row.nameKey, row.name]));
    const others = new Map(memberships.filter((row) => row.origin !== connector.id).map((row) => [row.nameKey, row.name]));

    const wanted = new Map<string, string>();
    for (const name of [...connector.groups.alwaysAssign, ...(mapped.groups ?? [])]) {
      if (!wanted.has(nameKey(name))) wanted.set(nameKey(name), name);
    }
    if (!connector.groups.createMissing && wanted.size) {
      const present = await manager.findBy(GroupEntity, { directoryId: connector.directoryId, nameKey: In([...wanted.keys()]) });
      const presentKeys = new Set(present.map((group) => group.nameKey));
      for (const [key, name] of wanted) {
        if (!presentKeys.has(key)) {
          wanted.delete(key);
          warnings.push(`group ${name} does not exist and createMissing is off`);
        }
      }
    }
    const added = [...wanted].filter(([key]) => !mine.has(key)).map(([, name]) => name);
    const removed =
      connector.groups.removeUnlisted && mapped.groups !== undefined
        ? [...mine].filter(([key]) => !wanted.has(key)).map(([, name]) => name)
        : [];
    const final = new Map<string, string>([...others, ...mine]);
    for (const name of removed) if (!others.has(nameKey(name))) final.delete(nameKey(name));
    for (const name of added) if (!final.has(nameKey(name))) final.set(nameKey(name), name);
    return { added, removed, final: [...final.values()].sort(compareNames) };
  }

  /** Writes the plan in the caller's transaction; returns the user id. */
  private async apply(manager: EntityManager, connector: ConnectorEntity, plan: LoginPlan & { existingLastLogin?: Date | null }): Promise<string | undefined> {
    const user = plan.user;
    if (plan.decision === 'refuse' || !user) {
      await this.refused(manager, user?.username ?? null, plan.refusal!.code, plan.refusal!.reason, connector);
      return plan.existingId;
    }
    const scope = { connectorId: connector.id, directoryId: connector.directoryId, username: user.username };
    const now = new Date();
    let userId = plan.existingId;
    if (plan.decision === 'create') {
      userId = randomUUID();
      await insertRows(manager, UserEntity, {
        id: userId,
        directoryId: connector.directoryId,
        ...usernameColumns(user.username),
        displayName: user.displayName,
        email: user.email,
        active: true,
        attributes: user.attributes,
        ...externalIdColumns(user.externalId),
        syncFingerprint: plan.fingerprint,
        lastLoginAt: now,
      });
      await this.audit.record(manager, { ...scope, type: 'user.created', actor: LOGIN_ACTOR, details: { displayName: user.displayName, email: user.email } });
    } else {
      const update: Partial<UserEntity> = { syncFingerprint: plan.fingerprint, lastLoginAt: now };
      if (plan.rename) Object.assign(update, usernameColumns(user.username));
      if (plan.reactivate) update.active = true;
      if (plan.changes.length) {
        Object.assign(update, { displayName: user.displayName, email: user.email, attributes: user.attributes, ...externalIdColumns(user.externalId) });
      }
      await manager.update(UserEntity, { id: userId }, update);
      if (plan.rename) await this.audit.record(manager, { ...scope, type: 'user.renamed', actor: LOGIN_ACTOR, details: plan.rename });
      if (plan.reactivate) await this.audit.record(manager, { ...scope, type: 'user.reactivated', actor: LOGIN_ACTOR });
      if (plan.changes.length) await this.audit.record(manager, { ...scope, type: 'user.updated', actor: LOGIN_ACTOR, details: { fields: plan.changes } });
    }
    if (plan.groupsAdded.length) {
      const groups = await this.groups.resolve(manager, connector.directoryId, plan.groupsAdded, connector.groups.createMissing);
      // A group that existed under another spelling (ÉQUIPE for Équipe) is shown as stored.
      const stored = new Map(groups.map((group) => [group.nameKey, group.name]));
      plan.groups = plan.groups.map((name) => stored.get(nameKey(name)) ?? name).sort(compareNames);
      await insertRows(
        manager,
        MembershipEntity,
        groups.map((group) => ({ userId: userId as string, groupId: group.id, origin: connector.id })),
      );
    }
    if (plan.groupsRemoved.length) {
      const groups = await manager.findBy(GroupEntity, { directoryId: connector.directoryId, nameKey: In(plan.groupsRemoved.map(nameKey)) });
      await manager.delete(MembershipEntity, { userId, origin: connector.id, groupId: In(groups.map((group) => group.id)) });
    }
    if (plan.groupsAdded.length || plan.groupsRemoved.length) {
      await this.audit.record(manager, { ...scope, type: 'groups.changed', actor: LOGIN_ACTOR, details: { added: plan.groupsAdded, removed: plan.groupsRemoved } });
    }
    if (plan.refusal) await this.refused(manager, user.username, plan.refusal.code, plan.refusal.reason, connector);
    return userId;
  }

  private async refused(manager: EntityManager | null, username: string | null, code: ErrorCode, reason: string, connector?: ConnectorEntity): Promise<void> {
    const record = {
      type: 'login.refused' as const,
      actor: LOGIN_ACTOR,
      // Only a name the identity rule accepts is stored; the reason says what was wrong with the rest.
      username: username !== null && lookupKey(username) !== null ? username : null,
      connectorId: connector?.id ?? null,
      directoryId: connector?.directoryId ?? null,
      details: { code, reason },
    };
    if (manager) await this.audit.record(manager, record);
    else await this.transactions.run((tx) => this.audit.record(tx, record));
  }

  private toEntry(plan: LoginPlan, directory: DirectoryEntity | undefined, userId: string | undefined) {
    if (plan.refusal) return ProvisioningCache.refusal(new DomainError(plan.refusal.code, plan.refusal.reason));
    const user = plan.user as PlannedUser;
    return ProvisioningCache.principal({
      username: user.username,
      groups: plan.groups,
      user: { username: user.username, displayName: user.displayName, email: user.email, active: user.active, attributes: user.attributes },
      directory: directoryRef(directory),
      userId,
    });
  }
}

/** Counts a login by how it was decided, and by its refusal code when unwrapping throws. */
function countLogin(decision: string, unwrap: () => AlbPrincipal): AlbPrincipal {
  try {
    const principal = unwrap();
    metrics.logins.inc({ decision, code: '' });
    return principal;
  } catch (error) {
    metrics.logins.inc({ decision: decision === 'cached' ? 'cached' : 'refuse', code: error instanceof DomainError ? error.code : 'error' });
    throw error;
  }
}

function needsWrites(plan: LoginPlan & { existingLastLogin?: Date | null }, intervalMs: number): boolean {
  if (plan.decision !== 'unchanged') return true;
  const last = plan.existingLastLogin;
  return !last || Date.now() - last.getTime() > intervalMs;
}

function hasAccess(settings: AlbSettings, groups: string[]): boolean {
  if (settings.accessGroups.length === 0) return true;
  const mine = new Set(groups.map(nameKey));
  return settings.accessGroups.some((group) => mine.has(nameKey(group)));
}

/** Everything a login's outcome depends on, without exp/iat/nbf (they change with every token). */
function fingerprint(connector: ConnectorEntity, claims: Record<string, unknown>, mapped: MappingResult): string {
  const primary = lookup(claims, connector.primaryKey);
  return createHash('sha256')
    .update(JSON.stringify([connector.id, connector.version, typeof primary === 'string' || typeof primary === 'number' ? primary : null, mapped.user, mapped.attributes, mapped.groups ?? null, mapped.rejected ?? null]))
    .digest('base64url');
}

function toPrincipalUser(user: UserEntity) {
  return { username: user.username, displayName: user.displayName, email: user.email, active: user.active, attributes: user.attributes ?? {} };
}

function directoryRef(directory: DirectoryEntity | undefined) {
  return { id: directory?.id ?? '', name: directory?.name ?? '' };
}

