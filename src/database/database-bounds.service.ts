import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A statement that has not answered in this long fails (the connection is dropped): 503, not a hang. */
export const DATABASE_QUERY_TIMEOUT_MS = 3000;
/** Waiting for a free pooled connection fails after this long. */
export const DATABASE_ACQUIRE_TIMEOUT_MS = 2000;

interface PooledConnection {
  release(): void;
  destroy(): void;
  query(...args: unknown[]): unknown;
}
type GetConnection = (callback: (error: Error | null, connection?: PooledConnection) => void) => void;
const BOUNDED = Symbol('alb-usersync.bounded-connection');

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
      if (connection) dropOnTimeout(connection);
      callback(error, connection);
    });
  };
}

/**
 * mysql2's query timeout only fails the caller: the statement stays queued on its connection, and
 * whoever gets that connection next would wait behind it without a bound. So a connection whose
 * query timed out is destroyed (the pool opens a fresh one).
 */
function dropOnTimeout(connection: PooledConnection & { [BOUNDED]?: true }): void {
  if (connection[BOUNDED]) return;
  connection[BOUNDED] = true;
  const query = connection.query.bind(connection);
  connection.query = (...args: unknown[]) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: { code?: string } | null, ...rest: unknown[]) => {
        if (error?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') connection.destroy();
        (callback as (...values: unknown[]) => void)(error, ...rest);
      };
    }
    return query(...args);
  };
}
