import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Gauge, register } from 'prom-client';
import { DataSource } from 'typeorm';
import { Public } from '../alb-auth/decorators/public.decorator';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { SecretDigest } from '../common/security/secret-digest';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

interface PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

let dataSourceOfPool: DataSource | undefined;
let processMetricsOn = false;

// mysql2 exposes its pool's state only through these fields; SQLite has one embedded connection.
const databasePool = new Gauge({
  name: 'alb_usersync_db_pool_connections',
  help: 'Database connections by state (open, idle, waiting requests)',
  labelNames: ['state'] as const,
  collect() {
    const dataSource = dataSourceOfPool;
    if (!dataSource?.isInitialized) return;
    const pool = (dataSource.driver as unknown as { pool?: PoolInternals }).pool;
    const open = pool?._allConnections?.length ?? 1;
    this.set({ state: 'open' }, open);
    this.set({ state: 'idle' }, pool?._freeConnections?.length ?? 0);
    this.set({ state: 'waiting' }, pool?._connectionQueue?.length ?? 0);
  },
});

/** GET /metrics: Prometheus text format; behind `Authorization: Bearer <METRICS_TOKEN>` when that is set. */
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly token: SecretDigest | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @InjectDataSource() dataSource: DataSource) {
    this.token = config.metricsToken ? new SecretDigest(config.metricsToken) : null;
    dataSourceOfPool = dataSource;
    if (!processMetricsOn) {
      processMetricsOn = true;
      // Event-loop lag, heap, CPU, handles: prom-client's standard process metrics.
      collectDefaultMetrics({ prefix: 'alb_usersync_' });
    }
    void databasePool;
  }

  @Get()
  @ApiExcludeEndpoint()
  @Header('content-type', register.contentType)
  @Header('cache-control', 'no-store')
  async metrics(@Headers('authorization') authorization?: string): Promise<string> {
    if (this.token) {
      if (authorization === undefined) throw new DomainError(ErrorCode.TOKEN_MISSING, 'GET /metrics needs the metrics bearer token');
      if (!this.token.matchesBearer(authorization)) throw new DomainError(ErrorCode.TOKEN_INVALID, 'Invalid metrics token');
    }
    return register.metrics();
  }
}
