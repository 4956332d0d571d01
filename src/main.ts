import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig, ConfigValidationError, loadConfig } from './config/app-config';
import { createHttpAdapter } from './http/http-adapter';
import { boundShutdown } from './http/shutdown';
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
  // Local mode without ADMIN_API_TOKEN: one for this run, printed in the start banner, so that the README's curl examples work.
  const generatedAdminToken = config.localMode && !config.adminApiToken ? randomBytes(24).toString('base64url') : null;
  if (generatedAdminToken) config = { ...config, adminApiToken: generatedAdminToken };
  const adapter = createHttpAdapter(config.httpAdapter);
  const module = AppModule.forRoot(config);
  const app = configureApp(
    adapter ? await NestFactory.create(module, adapter, { bufferLogs: true }) : await NestFactory.create(module, { bufferLogs: true }),
  );
  // Local mode trusts the emulator's own key: never reachable from another host.
  await app.listen(config.port, config.localMode ? '127.0.0.1' : '0.0.0.0').catch((error: unknown) => {
    throw portTaken(error, config.port, 'PORT') ?? error;
  });
  // Nest's shutdown hook closes the app on SIGTERM; this bounds how long that may take.
  process.once('SIGTERM', () =>
    boundShutdown(app.getHttpServer(), config.shutdownTimeoutMs, () => {
      process.stderr.write(`alb-usersync: still shutting down ${config.shutdownTimeoutMs} ms after SIGTERM: closing connections and exiting\n`);
      // A dependency that never answers (a database partition) would otherwise hold the exit forever.
      setTimeout(() => process.exit(1), 1000).unref();
    }),
  );
  if (config.localMode) {
    const emulator = await startLocalMode(app, config, generatedAdminToken).catch(async (error: unknown) => {
      await app.close();
      throw portTaken(error, config.localAlbPort, 'LOCAL_ALB_PORT') ?? error;
    });
    process.once('SIGTERM', () => void emulator.stop());
  }
}

/** A port another process holds, said with the variable that moves it. */
function portTaken(error: unknown, port: number, variable: string): Error | null {
  if ((error as { code?: unknown })?.code !== 'EADDRINUSE') return null;
  return new Error(`port ${port} is already in use (another alb-usersync, or another program): stop it, or set ${variable} to a free port`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`alb-usersync failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
