import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import { ConcurrentChangeError } from './concurrent-change.error';
import { isUniqueViolation } from './sql';

/**
 * Runs write transactions. SQLite has one connection that TypeORM shares, so concurrent
 * transactions would nest on it: they are queued here. On MySQL each gets its own connection and
 * `retrying` re-runs work that lost a race (duplicate key, deadlock) on a fresh snapshot.
 */
@Injectable()
export class TransactionRunner implements OnModuleInit {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly serialize: boolean;
  private readonly commitHooks = new WeakMap<QueryRunner, (() => void)[]>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.serialize = dataSource.options.type !== 'mysql';
  }

  onModuleInit(): void {
    // TypeORM tells commits and rollbacks only to subscribers.
    this.dataSource.subscribers.push({
      afterTransactionCommit: ({ queryRunner }) => {
        const hooks = this.commitHooks.get(queryRunner);
        this.commitHooks.delete(queryRunner);
        for (const hook of hooks ?? []) hook();
      },
      afterTransactionRollback: ({ queryRunner }) => {
        this.commitHooks.delete(queryRunner);
      },
    });
  }

  /** Calls `hook` once the transaction `tx` commits (never if it rolls back). */
  afterCommit(tx: EntityManager, hook: () => void): void {
    const runner = tx.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('afterCommit needs a transaction');
    const hooks = this.commitHooks.get(runner);
    if (hooks) hooks.push(hook);
    else this.commitHooks.set(runner, [hook]);
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) return this.dataSource.transaction(work);
    const result = this.queue.then(() => this.dataSource.transaction(work));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs `step` with `input` in a transaction, again on a fresh snapshot when it lost a race: the
   * step is handed down, so a retry re-runs it where it lives instead of calling back up to the caller.
   */
  retryingStep<I, T>(step: TransactionStep<I, T>, input: I): Promise<T> {
    return this.retrying((tx) => step.run(tx, input));
  }

  async retrying<T>(work: (manager: EntityManager) => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run(work);
      } catch (error) {
        if (attempt >= attempts || !isRetryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }
}

/** Work that runs inside a transaction, all of it again when retried (it reads what it decides on in `tx`). */
export interface TransactionStep<I, T> {
  run(tx: EntityManager, input: I): Promise<T>;
}

function isRetryable(error: unknown): boolean {
  if (isUniqueViolation(error) || error instanceof ConcurrentChangeError) return true;
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}
