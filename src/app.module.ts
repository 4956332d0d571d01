import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AppExceptionFilter } from './app-exception.filter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AdminConsoleController } from './admin-console/admin-console.controller';
import { AlbAuthGuard } from './alb-auth/alb-auth.guard';
import { AlbAuthModule } from './alb-auth/alb-auth.module';
import { DomainExceptionFilter } from './common/errors/domain-exception.filter';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { buildDataSourceOptions } from './database/data-source-options';
import { SqliteCheckpointer } from './database/sqlite-checkpointer.service';
import { MetricsController } from './health/metrics.controller';
import { DatabaseBounds } from './database/database-bounds.service';
import { HealthModule } from './health/health.module';
import { SAMPLE_IDENTITIES } from './local-alb/sample-identities';
import { MeBodies } from './me/me-bodies';
import { MeEarlyAnswer } from './me/me-early-answer';
import { MeController } from './me/me.controller';
import { UserSyncModule } from './user-sync/user-sync.module';
import { UserSyncModuleForRootOptions } from './user-sync/user-sync.module-definition';
import { ALB_USERSYNC_ENTITIES } from './user-sync/store/entities';

export interface AppModuleOverrides {
  /** Throw-away test databases may drop their schema first. */
  dropSchema?: boolean;
  /** Extra UserSync options (custom transformations, poll interval). */
  userSync?: Partial<UserSyncModuleForRootOptions>;
}

/** The reference service: composes the modules, nothing else. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: AppModuleOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // No per-request pino-http middleware: its child logger and AsyncLocalStorage context cost
          // every request (docs/benchmarks.md); the request line is our own (http/request-log.ts).
          forRoutes: [],
          pinoHttp: {
            level: config.logLevel,
            ...(config.logFormat === 'pretty' && {
              transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
            }),
            // One line per request comes from the HTTP server itself, on both adapters (http/request-log.ts).
            autoLogging: false,
            // Only what identifies the request: never headers (tokens, cookies) nor query strings.
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                path: req.url.split('?')[0],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
        TypeOrmModule.forRoot({ ...buildDataSourceOptions(config.database, ALB_USERSYNC_ENTITIES), dropSchema: overrides.dropSchema ?? false }),
        AlbAuthModule.forRoot(config.alb),
        UserSyncModule.forRoot({
          adminApiToken: config.adminApiToken,
          adminGroups: config.adminGroups,
          // Local mode: a connector that would lock out the emulator's identities asks for confirmation.
          ...(config.localMode && { sampleIdentities: SAMPLE_IDENTITIES.map(({ label, claims, accessClaims }) => ({ label: label.replace(/ \(.*$/, ''), claims, accessClaims })) }),
          ...overrides.userSync,
        }),
        HealthModule,
      ],
      controllers: [MeController, MetricsController, AdminConsoleController],
      providers: [
        DomainExceptionFilter,
        AppExceptionFilter,
        { provide: APP_FILTER, useExisting: AppExceptionFilter },
        { provide: APP_GUARD, useExisting: AlbAuthGuard },
        MeBodies,
        MeEarlyAnswer,
        SqliteCheckpointer,
        DatabaseBounds,
      ],
    };
  }
}
