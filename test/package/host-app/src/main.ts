// src/main.ts
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

/** What the app does before it listens (its tests do the same). */
export function setUp(app: INestApplication): INestApplication {
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  return app;
}

async function bootstrap() {
  const app = setUp(await NestFactory.create(AppModule));
  await app.listen(process.env.PORT ?? 3000);
}
if (require.main === module) void bootstrap();
