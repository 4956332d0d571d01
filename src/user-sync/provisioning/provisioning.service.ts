import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AlbPrincipal, AlbPrincipalResolver } from '../../alb-auth/alb-principal';
import { AlbSettings } from '../settings/alb-settings.service';
import { VerifiedAlbToken } from '../../alb-auth/verifier/alb-token.types';
import { insertRows } from '../../common/database/sql';
import { DomainError } from '../../common/errors/domain-error';
import { metrics } from '../../common/metrics';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { ConcurrentChangeError, TransactionRunner } from '../../database/transaction-runner.service';
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
  PrimaryKeyClaim,
  primaryKeyHash,
  readPrimaryKey,
  usernameColumns,
  usernameSkeleton,
} from '../identity/identity-rules';
import { UserEntity } from '../directories/user.entity';
import { lookup, MappingService } from '../mapping/mapping.service';
import { MappingResult } from '../mapping/mapping.types';
import { USER_SYNC_OPTIONS } from '../user-sync.module-definition';
import { UserSyncModuleOptions } from '../user-sync.options';
import { ConfigSnapshot, ConfigSnapshotService } from './config-snapshot.service';
import { LoginPlan, PlannedUser } from './login-plan';
import { LoginFacts, PlannedLogin, planDirectoryLogin, planLogin, StoredMembership, wantedGroups } from './login-planner';
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
    // Keyed by the lookup key, so that a refused spelling (ϴ, whose lower case is θ) never shares a valid name's entry.
    const usernameKey = lookupKey(username);
    const key = usernameKey === null ? `d!${username}` : `d:${usernameKey}`;
    const cached = this.cache.get(key);
    if (cached) return { entry: cached, decision: 'cached' };
    const entry = await this.findExisting(snapshot, claimName, username);
    this.cache.set(key, entry);
    return { entry, decision: 'lookup' };
  }

  private async findExisting(snapshot: ConfigSnapshot, claimName: string, username: string) {
    const usernameKey = username ? lookupKey(username) : null;
    const directoryIds = snapshot.activeDirectories.map((directory) => directory.id);
    const candidates =
      usernameKey !== null && directoryIds.length
        ? await this.dataSource.manager.findBy(UserEntity, { usernameKey, directoryId: In(directoryIds) })
        : [];
    const first = snapshot.activeDirectories
      .map((directory) => candidates.find((candidate) => candidate.directoryId === directory.id))
      .find(Boolean);
    const groups = first ? ((await this.groups.namesByUser(this.dataSource.manager, [first.id])).get(first.id) ?? []) : [];
    const outcome = planDirectoryLogin(claimName, username, username ? nameProblem(username) : null, first, groups, snapshot.settings.accessGroups);
    if ('refusal' in outcome) {
      await this.refused(null, username || null, outcome.refusal.code, outcome.refusal.reason);
      return ProvisioningCache.refusal(new DomainError(outcome.refusal.code, outcome.refusal.reason));
    }
    const user = first as UserEntity;
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

  /** Loads what the login may touch, then lets the pure planner decide; never writes. */
  private async plan(
    manager: EntityManager,
    connector: ConnectorEntity,
    claims: Record<string, unknown>,
    mapped: MappingResult,
    settings: AlbSettings,
    print: string = fingerprint(connector, claims, mapped),
  ): Promise<PlannedLogin> {
    const primaryKey = readPrimaryKey(lookup(claims, connector.primaryKey));
    const facts = await this.loadFacts(manager, connector, mapped, primaryKey);
    return planLogin({ connector, mapped, primaryKey, accessGroups: settings.accessGroups, facts, fingerprint: print });
  }

  private async loadFacts(manager: EntityManager, connector: ConnectorEntity, mapped: MappingResult, primaryKey: PrimaryKeyClaim): Promise<LoginFacts> {
    const facts: LoginFacts = { byKey: null, byName: null, memberships: [], lookalikeIds: [] };
    const username = mapped.user.username;
    if (mapped.rejected || !username || !('value' in primaryKey)) return facts;
    const directoryId = connector.directoryId;
    facts.byKey = await manager.findOneBy(UserEntity, { directoryId, externalIdHash: primaryKeyHash(primaryKey.value) });
    facts.byName = await manager.findOneBy(UserEntity, { directoryId, usernameKey: nameKey(username) });
    const userIds = [...new Set([facts.byKey?.id, facts.byName?.id].filter((id): id is string => id !== undefined))];
    if (userIds.length) {
      facts.memberships = await manager
        .createQueryBuilder(MembershipEntity, 'm')
        .innerJoin(GroupEntity, 'g', 'g.id = m.group_id')
        .select(['m.user_id AS userId', 'm.origin AS origin', 'g.name AS name', 'g.name_key AS nameKey'])
        .where('m.user_id IN (:...userIds)', { userIds })
        .getRawMany<StoredMembership>();
    }
    const wanted = wantedGroups(connector, mapped);
    if (!connector.groups.createMissing && wanted.size) {
      const present = await manager.findBy(GroupEntity, { directoryId, nameKey: In([...wanted.keys()]) });
      facts.existingGroupKeys = new Set(present.map((group) => group.nameKey));
    }
    if (connector.users.refuseLookalikeUsernames) {
      const lookalikes = await manager.find(UserEntity, { select: { id: true }, where: { directoryId, usernameSkeleton: usernameSkeleton(username) }, take: 2 });
      facts.lookalikeIds = lookalikes.map((user) => user.id);
    }
    return facts;
  }

  /** Writes the plan in the caller's transaction; returns the user id. */
  private async apply(manager: EntityManager, connector: ConnectorEntity, plan: PlannedLogin): Promise<string | undefined> {
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
        lastLoginAt: now,
      });
      await this.audit.record(manager, { ...scope, type: 'user.created', actor: LOGIN_ACTOR, details: { displayName: user.displayName, email: user.email } });
    } else {
      const update: Partial<UserEntity> = { lastLoginAt: now };
      if (plan.rename) Object.assign(update, usernameColumns(user.username));
      if (plan.reactivate) update.active = true;
      if (plan.changes.length) {
        Object.assign(update, { displayName: user.displayName, email: user.email, attributes: user.attributes, ...externalIdColumns(user.externalId) });
      }
      // Binding an unbound user only if no concurrent login bound it first (the retry then sees it bound).
      const binding = plan.changes.includes('externalId');
      const updated = await manager.update(UserEntity, binding ? { id: userId, externalId: IsNull() } : { id: userId }, update);
      if (binding && updated.affected === 0) throw new ConcurrentChangeError('the user\'s primary key');
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

function needsWrites(plan: PlannedLogin, intervalMs: number): boolean {
  if (plan.decision !== 'unchanged') return true;
  const last = plan.existingLastLogin;
  return !last || Date.now() - last.getTime() > intervalMs;
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

