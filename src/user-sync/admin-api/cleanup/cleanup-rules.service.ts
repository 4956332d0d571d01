import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error';
import { ErrorCode } from '../../../common/errors/error-code.enum';
import { withoutUndefined } from '../../../common/objects';
import { TransactionRunner } from '../../../database/transaction-runner.service';
import { AlbSettingsService } from '../../config/alb-settings.service';
import { ConfigChanges } from '../../config/config-changes.service';
import { nameKey } from '../../identity/identity-rules';
import { ruleProblems } from '../../lifecycle/cleanup-rule';
import { CleanupService } from '../../lifecycle/cleanup.service';
import { AuditStore } from '../../store/audit.store';
import { CleanupRuleEntity } from '../../store/cleanup-rule.entity';
import { CleanupStore } from '../../store/cleanup.store';
import { DirectoriesService } from '../directories/directories.service';
import { CleanupRuleDto, UpdateCleanupRuleDto } from './cleanup-rule.dto';

@Injectable()
export class CleanupRulesService {
  constructor(
    private readonly store: CleanupStore,
    private readonly cleanup: CleanupService,
    private readonly directories: DirectoriesService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditStore,
    private readonly changes: ConfigChanges,
    private readonly settings: AlbSettingsService,
  ) {}

  async list(directoryId: string) {
    await this.directories.get(directoryId);
    const items = await this.store.rules(directoryId);
    return { items, total: items.length };
  }

  async get(directoryId: string, id: string): Promise<CleanupRuleEntity> {
    await this.directories.get(directoryId);
    const rule = await this.store.rule(directoryId, id);
    if (!rule) throw new DomainError(ErrorCode.NOT_FOUND, `No cleanup rule ${id} in this directory`);
    return rule;
  }

  async create(directoryId: string, dto: CleanupRuleDto, actor: string): Promise<CleanupRuleEntity> {
    assertValid(dto, (await this.settings.get()).protectedGroups);
    await this.directories.get(directoryId);
    return this.transactions.run(async (tx) => {
      const rule = await this.store.insertRule(tx, {
        directoryId,
        name: dto.name,
        enabled: dto.enabled ?? true,
        inactiveDays: dto.inactiveDays,
        onlyGroups: dto.onlyGroups ?? [],
        exceptGroups: dto.exceptGroups ?? [],
        maxPerRun: dto.maxPerRun ?? 100,
        action: dto.action ?? 'deactivate',
        includeProtected: dto.includeProtected ?? false,
        schedule: dto.schedule ?? null,
      });
      await this.audit.configChange(tx, actor, { action: 'cleanup-rule.created', rule: rule.name, ruleId: rule.id }, { directoryId });
      await this.changes.changed(tx);
      return rule;
    });
  }

  async update(directoryId: string, id: string, dto: UpdateCleanupRuleDto, actor: string): Promise<CleanupRuleEntity> {
    const rule = await this.get(directoryId, id);
    const next = Object.assign(rule, withoutUndefined(dto));
    assertValid(next, (await this.settings.get()).protectedGroups);
    return this.transactions.run(async (tx) => {
      const saved = await this.store.saveRule(tx, next);
      await this.audit.configChange(tx, actor, { action: 'cleanup-rule.updated', ruleId: id, changes: Object.keys(dto) }, { directoryId });
      await this.changes.changed(tx);
      return saved;
    });
  }

  async delete(directoryId: string, id: string, actor: string): Promise<void> {
    const rule = await this.get(directoryId, id);
    await this.transactions.run(async (tx) => {
      await this.store.deleteRule(tx, id);
      await this.audit.configChange(tx, actor, { action: 'cleanup-rule.deleted', rule: rule.name, ruleId: id }, { directoryId });
      await this.changes.changed(tx);
    });
  }

  async preview(directoryId: string, id: string) {
    const rule = await this.get(directoryId, id);
    const { users, more, spared } = await this.cleanup.candidates(rule);
    const protectedUsers = users.filter((user) => user.protectedGroups.length > 0).map((user) => user.username);
    const warnings = protectedUsers.length ? [`includeProtected: ${protectedUsers.join(', ')} ${protectedUsers.length === 1 ? 'holds' : 'hold'} a protected group and would be affected`] : [];
    return { action: rule.action, users, more, sparedProtected: spared, warnings };
  }

  async run(directoryId: string, id: string) {
    const rule = await this.get(directoryId, id);
    const ran = await this.cleanup.run(rule, 'manual');
    // A manual run has a slot of its own: only a scheduled run can find its slot taken.
    if (!ran) throw new Error('a manual cleanup run found its slot taken');
    return ran;
  }

  async runs(directoryId: string, id: string) {
    await this.get(directoryId, id);
    const items = await this.store.runs(id, 50);
    return { items, total: items.length };
  }
}

function assertValid(rule: { onlyGroups?: string[]; exceptGroups?: string[]; schedule?: string | null; includeProtected?: boolean }, protectedGroups: readonly string[]): void {
  const problems = ruleProblems(rule);
  // A rule aimed at protected groups without including them would match nobody, silently.
  const protectedKeys = new Set(protectedGroups.map(nameKey));
  const aimed = (rule.onlyGroups ?? []).filter((group) => !/^\/.+\/$/.test(group) && protectedKeys.has(nameKey(group)));
  if (aimed.length && !rule.includeProtected) {
    problems.push(`onlyGroups: ${aimed.join(', ')} ${aimed.length === 1 ? 'is a protected group' : 'are protected groups'} (settings protectedGroups), whose members cleanup spares unless includeProtected is true`);
  }
  if (problems.length) throw new DomainError(ErrorCode.VALIDATION_FAILED, problems.join('; '));
}
