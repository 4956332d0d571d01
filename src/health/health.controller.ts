import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../alb-auth/decorators/public.decorator';
import { AlbKeyStore } from '../alb-auth/verifier/alb-key-store';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code.enum';

const LIVE = { status: 'ok' } as const;
/** The readiness ping's bound; the database's own bounds (query 3 s, connection 2 s) are longer. */
const PING_TIMEOUT_MS = 2000;

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
    private readonly keyStore: AlbKeyStore,
  ) {}

  /** Liveness: the process answers HTTP. Touches nothing, so a database outage never restarts it. */
  @Get('live')
  @ApiOkResponse({ description: '{ status: "ok" }: the process answers; checks no dependency' })
  live(): { status: 'ok' } {
    return LIVE;
  }

  @Get()
  @HealthCheck()
  @ApiOkResponse({ description: 'Readiness: database reachable; key endpoint state (informational)' })
  @ApiServiceUnavailableResponse({ description: 'SERVICE_UNAVAILABLE: the database is down' })
  async check() {
    try {
      return await this.health.check([
        () => this.pingDatabase(),
        // Informational: a key endpoint outage only affects tokens with an uncached kid.
        () => this.indicators.check('keyEndpoint').up({ ...this.keyStore.state() }),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        const failing = Object.keys((error.getResponse() as { error?: object }).error ?? {});
        throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `Unhealthy: ${failing.join(', ') || 'unknown'} down`);
      }
      throw error;
    }
  }

  /**
   * The database ping, bounded by our own timer, cleared as soon as the ping answers. Terminus's
   * `pingCheck(...).withTimeout()` does the same with AbortSignal.timeout and AbortSignal.any,
   * which cost more than the ping and slowed the requests that followed (docs/benchmarks.md).
   */
  private async pingDatabase() {
    const database = this.indicators.check('database');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout of ${PING_TIMEOUT_MS}ms exceeded`)), PING_TIMEOUT_MS))),
      ]);
      return database.up();
    } catch (error) {
      return database.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
