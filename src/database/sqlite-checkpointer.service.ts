import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { startThread } from '../common/threads/start-thread';

export const CHECKPOINT_INTERVAL_MS = 100;

/**
 * On a SQLite file, runs the WAL checkpoints on a thread. better-sqlite3 is synchronous: SQLite's
 * own checkpoint (every 1,000 pages, inside a commit) stopped the event loop for about 9 ms every
 * 50 logins or so; the connection's automatic checkpoint stays on, at 10,000 pages, as a backstop.
 */
@Injectable()
export class SqliteCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SqliteCheckpointer.name);
  private worker: Worker | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    const options = this.dataSource.options;
    if (options.type !== 'better-sqlite3' || options.database === ':memory:') return;
    this.worker = startThread(__dirname, 'sqlite-checkpoint.worker', {
      workerData: { path: options.database, intervalMs: CHECKPOINT_INTERVAL_MS },
    });
    this.worker.on('message', (message: { error?: string }) => {
      if (message.error) this.logger.warn(`WAL checkpoint failed: ${message.error}`);
    });
    this.worker.on('error', (error) => this.logger.warn(`The checkpoint thread stopped (${error.message}); SQLite checkpoints itself from now on`));
    this.worker.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = once(worker, 'exit');
    worker.ref();
    worker.postMessage({ stop: true });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    await worker.terminate();
  }
}
