import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A statement that has not answered in this long fails (the connection is dropped): 503, not a hang. */
export const DATABASE_QUERY_TIMEOUT_MS = 3000;
/** Waiting for a free pooled connection fails after this long. */
export const DATABASE_ACQUIRE_TIMEOUT_MS = 2000;

type GetConnection = (callback: (error: Error | null, connection?: { release(): void }) => void) => void;

/**
 * Bounds every wait on MySQL/MariaDB, so a database that stops answering (a network partition
 * that closes nothing) makes requests fail with 503 DATABASE_UNAVAILABLE within ~5 s instead of
 * hanging: a query timeout (mysql2's, through TypeORM) and a pool-acquire timeout (mysql2's pool
 * has none). Set after the start-up migrations, which may rightly take longer. SQLite is embedded:
 * its waits are bounded by its busy timeout.
 */
@Injectable()
export class DatabaseBounds implements OnModuleInit {
  private readonly logger = new Logger(DatabaseBounds.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    if (this.dataSource.options.type !== 'mysql') return;
    const driver = this.dataSource.driver as unknown as { options: Record<string, unknown>; pool?: { getConnection: GetConnection } };
    Object.assign(driver.options, { enableQueryTimeout: true, maxQueryExecutionTime: DATABASE_QUERY_TIMEOUT_MS });
    if (driver.pool) boundAcquire(driver.pool, DATABASE_ACQUIRE_TIMEOUT_MS);
    this.logger.log(`Database waits bounded: ${DATABASE_QUERY_TIMEOUT_MS} ms per query, ${DATABASE_ACQUIRE_TIMEOUT_MS} ms for a connection`);
  }
}

function boundAcquire(pool: { getConnection: GetConnection }, timeoutMs: number): void {
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      callback(Object.assign(new Error(`No database connection within ${timeoutMs} ms`), { code: 'POOL_ACQUIRE_TIMEOUT' }));
    }, timeoutMs);
    getConnection((error, connection) => {
      if (settled) {
        // Too late for its caller: straight back to the pool.
        connection?.release();
        return;
      }
      settled = true;
      clearTimeout(timer);
      callback(error, connection);
    });
  };
}
