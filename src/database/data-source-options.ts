import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from './database-url';
import { DatabaseLogger } from './database-logger';
import { MYSQL_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';

/**
 * DataSource options from DATABASE_URL: shared by the service, the tests and the TypeORM CLI. The
 * entities are passed in (the composition root gives UserSync's): the database room imports nothing above it.
 */
export function buildDataSourceOptions(database: DatabaseConfig, entities: DataSourceOptions['entities']): DataSourceOptions {
  const common = {
    entities,
    synchronize: false,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    logger: new DatabaseLogger(),
  };
  if (database.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: database.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      migrations: MYSQL_MIGRATIONS,
      connectTimeout: 5000,
      extra: { connectionLimit: 10 },
    };
  }
  const memory = database.path === ':memory:';
  if (!memory) mkdirSync(dirname(database.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: database.path,
    enableWAL: !memory,
    timeout: 5000,
    // WAL + synchronous=NORMAL: no fsync per commit (the usual SQLite setting for WAL; a power cut
    // may lose the last commits, never corrupt the file). Logins write in short transactions.
    // Checkpoints run on a thread (SqliteCheckpointer); SQLite's own is only a backstop here.
    prepareDatabase: (db: { pragma(statement: string): unknown }) => {
      if (memory) return;
      db.pragma('synchronous = NORMAL');
      db.pragma('wal_autocheckpoint = 10000');
    },
    migrations: SQLITE_MIGRATIONS,
  };
}
