import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { StoreTx } from '../store/store-tx';
import { SyncStateStore } from '../store/sync-state.store';

type Listener = () => void;

/**
 * The one change notifier: every admin write calls `changed()` in its transaction. It bumps the
 * sync generation, which every instance polls (a change reaches them within 5 s), and tells this
 * instance's listeners as soon as the transaction commits.
 */
@Injectable()
export class ConfigChanges {
  private readonly listeners: Listener[] = [];

  constructor(
    private readonly syncState: SyncStateStore,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Called when this instance commits a configuration change. */
  onCommitted(listener: Listener): void {
    this.listeners.push(listener);
  }

  async changed(tx: StoreTx): Promise<void> {
    await this.syncState.bump(tx);
    this.transactions.afterCommit(tx, () => {
      for (const listener of this.listeners) listener();
    });
  }
}
