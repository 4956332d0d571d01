import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../user-sync/store/audit-event.entity';
import { buildDataSourceOptions } from './data-source-options';
import { CHECKPOINT_INTERVAL_MS, SqliteCheckpointer } from './sqlite-checkpointer.service';
import { ALB_USERSYNC_ENTITIES } from '../user-sync/store/entities';

const folder = mkdtempSync(join(tmpdir(), 'alb-usersync-checkpoint-'));

async function openDatabase(name: string): Promise<{ dataSource: DataSource; file: string }> {
  const file = join(folder, name);
  const dataSource = new DataSource(buildDataSourceOptions({ type: 'sqlite', path: file }, ALB_USERSYNC_ENTITIES));
  await dataSource.initialize();
  return { dataSource, file };
}

/** Writes about 2 MB into the WAL in small transactions, as logins do. */
async function write(dataSource: DataSource): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await dataSource.manager.insert(AuditEventEntity, { createdAt: new Date(), type: 'login.refused', actor: 'test', details: { pad: 'x'.repeat(10_000) } as never });
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, CHECKPOINT_INTERVAL_MS * 5));

describe('SqliteCheckpointer (WAL checkpoints on a thread)', () => {
  before(() => Logger.overrideLogger(false));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('copies the WAL into the database file without the service connection doing it', async () => {
    const { dataSource, file } = await openDatabase('with.sqlite');
    const checkpointer = new SqliteCheckpointer(dataSource);
    checkpointer.onApplicationBootstrap();
    try {
      await settle();
      const before = statSync(file).size;
      await write(dataSource);
      // Polled: the thread starts under ts-node, slower on a loaded machine.
      for (const deadline = Date.now() + 10_000; statSync(file).size <= before + 1_000_000 && Date.now() < deadline; ) await settle();
      assert.ok(statSync(file).size > before + 1_000_000, `database file ${before} → ${statSync(file).size} bytes`);
    } finally {
      await checkpointer.onApplicationShutdown();
      await dataSource.destroy();
    }
  });

  it('(control) without it, the same writes stay in the WAL: the service connection checkpoints only at 10,000 pages', async () => {
    const { dataSource, file } = await openDatabase('without.sqlite');
    try {
      const before = statSync(file).size;
      await write(dataSource);
      await settle();
      assert.equal(statSync(file).size, before);
      assert.ok(statSync(`${file}-wal`).size > 1_000_000);
    } finally {
      await dataSource.destroy();
    }
  });

  it('does nothing for a database in memory', async () => {
    const dataSource = new DataSource(buildDataSourceOptions({ type: 'sqlite', path: ':memory:' }, ALB_USERSYNC_ENTITIES));
    await dataSource.initialize();
    const checkpointer = new SqliteCheckpointer(dataSource);
    checkpointer.onApplicationBootstrap();
    assert.equal((checkpointer as unknown as { worker: unknown }).worker, null);
    await checkpointer.onApplicationShutdown();
    await dataSource.destroy();
  });
});
