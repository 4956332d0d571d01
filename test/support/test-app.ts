import { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule, AppModuleOverrides } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createHttpAdapter, readyHttpAdapter } from '../../src/http/http-adapter';
import { TEST_ALB } from './alb-test-signer';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789';

/** The database the suites run on: SQLite in memory, or `DATABASE_URL` (MariaDB in CI). */
export const TEST_DATABASE_URL = process.env.DATABASE_URL || 'sqlite::memory:';

export function testConfig(keyEndpoint: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'production',
    ALB_ARNS: TEST_ALB.arn,
    ALB_ISSUER: TEST_ALB.issuer,
    ALB_CLIENT_IDS: TEST_ALB.clientId,
    ALB_KEY_ENDPOINT: keyEndpoint,
    DATABASE_URL: TEST_DATABASE_URL,
    LOG_LEVEL: 'silent',
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    // The suites run on either adapter: HTTP_ADAPTER=express|fastify npm test.
    ...(process.env.HTTP_ADAPTER && { HTTP_ADAPTER: process.env.HTTP_ADAPTER }),
    ...env,
  });
}

/** A real Nest app of the reference service, on a fresh database, ready for supertest. */
export interface TestAppOptions extends AppModuleOverrides {
  /** Extra controllers (e.g. a probe route with @RequireGroups). */
  controllers?: Type<unknown>[];
}

export async function createTestApp(config: AppConfig, options: TestAppOptions = {}): Promise<INestApplication> {
  const { controllers = [], ...overrides } = options;
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, { dropSchema: config.database.type === 'mysql', ...overrides })],
    controllers,
  }).compile();
  const adapter = createHttpAdapter(config.httpAdapter);
  const app = configureApp(
    adapter ? moduleRef.createNestApplication(adapter, { bufferLogs: true }) : moduleRef.createNestApplication({ bufferLogs: true }),
  );
  await app.init();
  await readyHttpAdapter(app);
  return app;
}
