import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../alb-auth/decorators/public.decorator';
import { AlbKeyStore } from '../alb-auth/verifier/alb-key-store';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code.enum';

const LIVE = { status: 'ok' } as const;

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
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
        () => this.database.pingCheck('database').withTimeout(2000),
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
}
