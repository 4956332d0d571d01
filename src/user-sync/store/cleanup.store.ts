import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, DeepPartial, IsNull, Not } from 'typeorm';
import { isUniqueViolation } from '../../database/sql';
import { CleanupRuleEntity } from './cleanup-rule.entity';
import { CleanupRunEntity } from './cleanup-run.entity';
import { StoreTx } from './store-tx';

/** Cleanup rules and their runs. */
@Injectable()
export class CleanupStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  rules(directoryId: string): Promise<CleanupRuleEntity[]> {
    return this.dataSource.manager.find(CleanupRuleEntity, { where: { directoryId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Enabled rules with a schedule, across directories. */
  scheduledRules(): Promise<CleanupRuleEntity[]> {
    return this.dataSource.manager.findBy(CleanupRuleEntity, { enabled: true, schedule: Not(IsNull()) });
  }

  async rule(directoryId: string, id: string): Promise<CleanupRuleEntity | null> {
    return this.dataSource.manager.findOneBy(CleanupRuleEntity, { id, directoryId });
  }

  async insertRule(tx: StoreTx, fields: DeepPartial<CleanupRuleEntity>): Promise<CleanupRuleEntity> {
    return tx.save(tx.create(CleanupRuleEntity, fields));
  }

  async saveRule(tx: StoreTx, rule: CleanupRuleEntity): Promise<CleanupRuleEntity> {
    return tx.save(rule);
  }

  async deleteRule(tx: StoreTx, id: string): Promise<void> {
    await tx.delete(CleanupRunEntity, { ruleId: id });
    await tx.delete(CleanupRuleEntity, { id });
  }

  /**
   * Claims a run: for a scheduled slot, only the first instance to claim it gets it (the unique
   * (rule, slot) index is the lease); null when another instance has it.
   */
  async claimRun(ruleId: string, trigger: 'schedule' | 'manual', slot?: string): Promise<CleanupRunEntity | null> {
    const id = randomUUID();
    const run = this.dataSource.manager.create(CleanupRunEntity, { id, ruleId, slot: slot ?? id, trigger, startedAt: new Date(), finishedAt: null, affected: 0, error: null });
    try {
      await this.dataSource.manager.insert(CleanupRunEntity, run);
      return run;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async finishRun(tx: StoreTx | undefined, id: string, affected: number, error: string | null): Promise<void> {
    await (tx ?? this.dataSource.manager).update(CleanupRunEntity, { id }, { finishedAt: new Date(), affected, error: error?.slice(0, 1024) ?? null });
  }

  runs(ruleId: string, limit: number): Promise<CleanupRunEntity[]> {
    return this.dataSource.manager.find(CleanupRunEntity, { where: { ruleId }, order: { startedAt: 'DESC', id: 'ASC' }, take: limit });
  }
}
