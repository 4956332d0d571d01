import { INestApplication, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { seedDemoData } from './demo-data';
import { LocalAlbEmulator } from './local-alb-emulator';
import { loadOrCreateLocalKeys } from './local-alb-keys';

/** Local mode: demo data, then the ALB emulator in front of the service. */
export async function startLocalMode(app: INestApplication, config: AppConfig): Promise<LocalAlbEmulator> {
  const logger = new Logger('LocalMode');
  await seedDemoData(app);
  const emulator = new LocalAlbEmulator(loadOrCreateLocalKeys(), config.port);
  await emulator.start(config.localAlbPort);
  logger.warn(
    `LOCAL MODE: no ALB configured, so the service trusts only the local ALB emulator's key. ` +
      `Open http://localhost:${config.localAlbPort} to sign in. Never use this in production.`,
  );
  return emulator;
}
