import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig, ConfigValidationError, loadConfig } from './config/app-config';
import { startLocalMode } from './local-alb/start-local-mode';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = configureApp(await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true }));
  await app.listen(config.port);
  if (config.localMode) {
    const emulator = await startLocalMode(app, config);
    process.once('SIGTERM', () => void emulator.stop());
  }
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`alb-usersync failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
