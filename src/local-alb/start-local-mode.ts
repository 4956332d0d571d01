import { INestApplication, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { seedDemoData } from './demo-data';
import { LocalAlbEmulator } from './local-alb-emulator';
import { loadOrCreateLocalKeys } from './local-alb-keys';

/** Local mode: demo data, then the ALB emulator in front of the service. */
export async function startLocalMode(app: INestApplication, config: AppConfig, generatedAdminToken: string | null = null): Promise<LocalAlbEmulator> {
  const logger = new Logger('LocalMode');
  await seedDemoData(app);
  const emulator = new LocalAlbEmulator(loadOrCreateLocalKeys(), config.port);
  await emulator.start(config.localAlbPort);
  logger.warn(`LOCAL MODE: no ALB configured, so the service trusts only the local ALB emulator's key. Never use this in production.`);
  // For the person at the terminal, beside the JSON log lines: where everything is.
  const alb = `http://localhost:${config.localAlbPort}`;
  process.stdout.write(
    [
      '',
      `alb-usersync is running in LOCAL MODE (never in production)`,
      `  sign in           ${alb}/            (Demo User, Local Admin, or your own claims)`,
      `  admin console     ${alb}/admin/      (as Local Admin)`,
      `  API docs          http://localhost:${config.port}/api/docs`,
      generatedAdminToken
        ? `  admin API token   ${generatedAdminToken}   (for this run: export ADMIN_API_TOKEN=<it>, or set your own before npm start)`
        : `  admin API token   the ADMIN_API_TOKEN you set`,
      `  reset the demo    stop, then npm run local:reset`,
      '',
      '',
    ].join('\n'),
  );
  return emulator;
}
