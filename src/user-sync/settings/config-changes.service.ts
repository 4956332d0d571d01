import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { SyncStateEntity } from '../sync-state.entity';

type Listener = () => void;

/**
 * The one change notifier: every admin write calls `changed()` in its transaction. It bumps the
 * sync generation, which every instance polls (a change reaches them within 5 s), and tells this
 * instance's listeners as soon as the transaction commits.
 */
@Injectable()
export class ConfigChanges implements OnModuleInit {
  private readonly listeners: Listener[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    // TypeORM tells commits only to subscribers; the flag on the query runner marks ours.
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: (event: TransactionCommitEvent) => {
        if (!event.queryRunner.data?.configChanged) return;
        event.queryRunner.data = { ...event.queryRunner.data, configChanged: false };
        for (const listener of this.listeners) listener();
      },
    };
    this.dataSource.subscribers.push(subscriber);
  }

  /** Called when this instance commits a configuration change. */
  onCommitted(listener: Listener): void {
    this.listeners.push(listener);
  }

  async changed(manager: EntityManager): Promise<void> {
    if (manager.queryRunner) manager.queryRunner.data = { ...manager.queryRunner.data, configChanged: true };
    const updated = await manager.increment(SyncStateEntity, { id: 1 }, 'generation', 1);
    if (!updated.affected) await manager.insert(SyncStateEntity, { id: 1, generation: 1 });
  }
}
