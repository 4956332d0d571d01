import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { ConcurrentChangeError } from '../../database/concurrent-change.error';
import { compareNames, externalIdColumns, lookupKey, nameKey, usernameColumns } from '../identity/identity-rules';
import { AuditRecord, AuditStore } from '../store/audit.store';
import { ConnectorEntity } from '../store/connector.entity';
import { GroupsStore } from '../store/groups.store';
import { StoreTx } from '../store/store-tx';
import { UserEntity } from '../store/user.entity';
import { UsersStore } from '../store/users.store';
import { StoredGroup } from './login-facts.reader';
import { PlannedLogin } from './login-planner';

export const LOGIN_ACTOR = 'login';

/** Applies a login plan: the user, its memberships and their audit events, in the caller's transaction. */
@Injectable()
export class LoginWriter {
  constructor(
    private readonly users: UsersStore,
    private readonly groups: GroupsStore,
    private readonly audit: AuditStore,
  ) {}

  /**
   * Writes the plan in `tx`; returns the user id. `storedGroups`: the wanted groups as read for the
   * plan, granted by id without reading them again. The plan's `groups` take the stored spellings.
   */
  async apply(tx: StoreTx, connector: ConnectorEntity, plan: PlannedLogin, storedGroups?: StoredGroup[]): Promise<string | undefined> {
    const user = plan.user;
    if (plan.decision === 'refuse' || !user) {
      await this.refused(tx, user?.username ?? plan.attemptedUsername ?? null, plan.refusal!.code, plan.refusal!.reason, connector);
      return plan.existingId;
    }
    // Written together at the end, in this order: one statement instead of one per event.
    const events: AuditRecord[] = [];
    const scope = { connectorId: connector.id, directoryId: connector.directoryId, username: user.username };
    const now = new Date();
    let userId = plan.existingId;
    if (plan.decision === 'create') {
      userId = randomUUID();
      await this.users.insert(tx, {
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
      events.push({ ...scope, type: 'user.created', actor: LOGIN_ACTOR, details: { displayName: user.displayName, email: user.email } });
    } else {
      const update: Partial<UserEntity> = { lastLoginAt: now };
      if (plan.rename) Object.assign(update, usernameColumns(user.username));
      if (plan.reactivate) update.active = true;
      if (plan.changes.length) {
        Object.assign(update, { displayName: user.displayName, email: user.email, attributes: user.attributes, ...externalIdColumns(user.externalId) });
      }
      // Binding an unbound user only if no concurrent login bound it first (the retry then sees it bound).
      const binding = plan.changes.includes('externalId');
      const updated = await this.users.update(tx, userId as string, update, binding);
      if (binding && !updated) throw new ConcurrentChangeError('the user\'s primary key');
      if (plan.rename) events.push({ ...scope, type: 'user.renamed', actor: LOGIN_ACTOR, details: plan.rename });
      if (plan.reactivate) events.push({ ...scope, type: 'user.reactivated', actor: LOGIN_ACTOR });
      if (plan.changes.length) events.push({ ...scope, type: 'user.updated', actor: LOGIN_ACTOR, details: { fields: plan.changes } });
    }
    if (plan.groupsAdded.length) {
      const groups = await this.groups.resolve(tx, connector.directoryId, plan.groupsAdded, connector.groups.createMissing, storedGroups);
      // A group that existed under another spelling (ÉQUIPE for Équipe) is shown as stored.
      const stored = new Map(groups.map((group) => [group.nameKey, group.name]));
      plan.groups = plan.groups.map((name) => stored.get(nameKey(name)) ?? name).sort(compareNames);
      await this.groups.grant(tx, connector.directoryId, userId as string, groups.map((group) => group.id), connector.id);
    }
    if (plan.groupsRemoved.length) {
      await this.groups.revoke(tx, userId as string, connector.directoryId, plan.groupsRemoved.map(nameKey), connector.id);
    }
    if (plan.groupsAdded.length || plan.groupsRemoved.length) {
      events.push({ ...scope, type: 'groups.changed', actor: LOGIN_ACTOR, details: { added: plan.groupsAdded, removed: plan.groupsRemoved } });
    }
    if (plan.groupsProtected.length) {
      events.push({ ...scope, type: 'groups.protected', actor: LOGIN_ACTOR, details: { notGranted: plan.groupsProtected } });
    }
    if (plan.refusal) events.push(refusalRecord(user.username, plan.refusal.code, plan.refusal.reason, connector));
    await this.audit.recordAll(tx, events);
    return userId;
  }

  /** Audits a refused login in `tx`. */
  async refused(tx: StoreTx, username: string | null, code: ErrorCode, reason: string, connector?: ConnectorEntity): Promise<void> {
    await this.audit.record(tx, refusalRecord(username, code, reason, connector));
  }
}

function refusalRecord(username: string | null, code: ErrorCode, reason: string, connector?: ConnectorEntity): AuditRecord {
  return {
    type: 'login.refused' as const,
    actor: LOGIN_ACTOR,
    // Only a name the identity rule accepts is stored; the reason says what was wrong with the rest.
    username: username !== null && lookupKey(username) !== null ? username : null,
    connectorId: connector?.id ?? null,
    directoryId: connector?.directoryId ?? null,
    details: { code, reason },
  };
}
