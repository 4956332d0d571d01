import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { AdminSafeguard } from '../config/admin-safeguard.service';
import { AlbSettingsService } from '../config/alb-settings.service';
import { ConfigChanges } from '../config/config-changes.service';
import { nameKey } from '../identity/identity-rules';
import { AuditStore } from '../store/audit.store';
import { CleanupRuleEntity } from '../store/cleanup-rule.entity';
import { CleanupStore } from '../store/cleanup.store';
import { GroupsStore } from '../store/groups.store';
import { UsersStore } from '../store/users.store';
import { groupMatcher } from './cleanup-rule';

export const CLEANUP_ACTOR = 'cleanup';
const BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CleanupCandidate {
  id: string;
  username: string;
  lastLoginAt: Date | null;
  createdAt: Date;
  /** Whole days since the last login (or creation). */
  inactiveDays: number;
  reason: string;
  /** The protected groups the user holds (only with the rule's includeProtected). */
  protectedGroups: string[];
}

/** Finds the users a cleanup rule affects, and deactivates (or deletes) them, audited. */
@Injectable()
export class CleanupService {
  private readonly logger = new Logger(CleanupService.name);

  constructor(
    private readonly store: CleanupStore,
    private readonly users: UsersStore,
    private readonly groups: GroupsStore,
    private readonly audit: AuditStore,
    private readonly transactions: TransactionRunner,
    private readonly changes: ConfigChanges,
    private readonly settings: AlbSettingsService,
    private readonly safeguard: AdminSafeguard,
  ) {}

  /**
   * Who `run` would affect now, and why: up to maxPerRun; writes nothing. Members of protected
   * groups are spared (counted in `spared`) unless the rule includes them.
   */
  async candidates(rule: CleanupRuleEntity, now = new Date()): Promise<{ users: CleanupCandidate[]; more: boolean; spared: number }> {
    const cutoff = new Date(now.getTime() - rule.inactiveDays * DAY_MS);
    const only = rule.onlyGroups.length ? groupMatcher(rule.onlyGroups) : null;
    const except = rule.exceptGroups.length ? groupMatcher(rule.exceptGroups) : null;
    const protectedKeys = new Set((await this.settings.get()).protectedGroups.map(nameKey));
    const chosen: CleanupCandidate[] = [];
    let spared = 0;
    for (let offset = 0; ; offset += BATCH) {
      const batch = await this.users.inactiveSince(rule.directoryId, cutoff, BATCH, offset);
      const names = await this.groups.namesByUser(batch.map((user) => user.id));
      for (const user of batch) {
        const groups = names.get(user.id) ?? [];
        if (only && !only(groups)) continue;
        if (except && except(groups)) continue;
        const held = groups.filter((group) => protectedKeys.has(nameKey(group)));
        if (held.length && !rule.includeProtected) {
          spared++;
          continue;
        }
        if (chosen.length === rule.maxPerRun) return { users: chosen, more: true, spared };
        const seen = user.lastLoginAt ?? user.createdAt;
        const days = Math.floor((now.getTime() - seen.getTime()) / DAY_MS);
        chosen.push({
          id: user.id,
          username: user.username,
          lastLoginAt: user.lastLoginAt,
          createdAt: user.createdAt,
          inactiveDays: days,
          reason: user.lastLoginAt ? `no login for ${days} days (rule: ${rule.inactiveDays})` : `never logged in, created ${days} days ago (rule: ${rule.inactiveDays})`,
          protectedGroups: held,
        });
      }
      if (batch.length < BATCH) return { users: chosen, more: false, spared };
    }
  }

  /**
   * Runs the rule once: claims the run (for a scheduled slot, only one instance gets it), then
   * deactivates or deletes its candidates in one transaction. Null when another instance has the slot.
   */
  async run(rule: CleanupRuleEntity, trigger: 'schedule' | 'manual', slot?: string) {
    const run = await this.store.claimRun(rule.id, trigger, slot);
    if (!run) return null;
    try {
      const { users, more } = await this.candidates(rule);
      await this.transactions.run(async (tx) => {
        await this.safeguard.assertAdminsRemain(tx, { userIds: users.map((user) => user.id) }, `Cleanup rule "${rule.name}"`);
        for (const user of users) {
          const details = { rule: rule.name, ruleId: rule.id, runId: run.id, inactiveDays: user.inactiveDays, lastLoginAt: user.lastLoginAt };
          if (rule.action === 'delete') await this.users.delete(tx, user.id);
          else if (!(await this.users.update(tx, user.id, { active: false }))) continue;
          await this.audit.record(tx, { type: rule.action === 'delete' ? 'user.deleted' : 'user.deactivated', actor: CLEANUP_ACTOR, directoryId: rule.directoryId, username: user.username, details });
        }
        await this.audit.record(tx, { type: 'cleanup.ran', actor: CLEANUP_ACTOR, directoryId: rule.directoryId, details: { rule: rule.name, ruleId: rule.id, runId: run.id, trigger, affected: users.length, more } });
        await this.store.finishRun(tx, run.id, users.length, null);
        // Deactivated users must not stay signed in through a login cache on any instance.
        if (users.length) await this.changes.changed(tx);
      });
      return { runId: run.id, trigger, action: rule.action, affected: users.map(({ id, username, inactiveDays, reason, protectedGroups }) => ({ id, username, inactiveDays, reason, protectedGroups })), more };
    } catch (error) {
      this.logger.error(`Cleanup rule ${rule.id} failed: ${(error as Error).message}`);
      await this.store.finishRun(undefined, run.id, 0, (error as Error).message).catch(() => undefined);
      if (error instanceof DomainError && error.code === ErrorCode.LAST_ADMIN) throw error;
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The cleanup run failed; nothing was changed');
    }
  }
}
