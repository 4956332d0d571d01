import { INestApplication, Logger } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppConfig } from '../config/app-config';
import { AlbSettingsService } from '../user-sync/config/alb-settings.service';
import { seedDemoData } from './demo-data';
import { LocalAlbEmulator } from './local-alb-emulator';
import { loadOrCreateLocalKeys } from './local-alb-keys';

/** Where local mode keeps the admin API token it made for the run (the README's commands read it). */
export const LOCAL_ADMIN_TOKEN_FILE = './data/admin-api-token';

/** The running local service's process id, while it runs: `npm run local:reset` refuses to delete ./data under it. */
export const LOCAL_SERVICE_PID_FILE = './data/local-service.pid';

/** Notes this process as ./data's local service (removed at exit), unless another one, still running, holds it. */
function claimDataFolder(): void {
  const holder = Number(existsSync(LOCAL_SERVICE_PID_FILE) ? readFileSync(LOCAL_SERVICE_PID_FILE, 'utf8').trim() : NaN);
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
    throw new Error(`another local service (pid ${holder}) runs on ./data: stop it, or start this one in another folder`);
  }
  mkdirSync(dirname(LOCAL_SERVICE_PID_FILE), { recursive: true });
  writeFileSync(LOCAL_SERVICE_PID_FILE, `${process.pid}\n`);
  process.once('exit', () => {
    if (existsSync(LOCAL_SERVICE_PID_FILE) && readFileSync(LOCAL_SERVICE_PID_FILE, 'utf8').trim() === String(process.pid)) rmSync(LOCAL_SERVICE_PID_FILE, { force: true });
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Local mode: demo data, then the ALB emulator in front of the service. */
export async function startLocalMode(app: INestApplication, config: AppConfig, generatedAdminToken: string | null = null): Promise<LocalAlbEmulator> {
  const logger = new Logger('LocalMode');
  claimDataFolder();
  await seedDemoData(app);
  if (generatedAdminToken) {
    mkdirSync(dirname(LOCAL_ADMIN_TOKEN_FILE), { recursive: true });
    // A new file renamed over the old one: owner-only from the start, never through a planted symlink.
    const written = `${LOCAL_ADMIN_TOKEN_FILE}.${process.pid}`;
    writeFileSync(written, `${generatedAdminToken}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(written, LOCAL_ADMIN_TOKEN_FILE);
  }
  const settings = app.get(AlbSettingsService);
  const emulator = new LocalAlbEmulator(loadOrCreateLocalKeys(), config.port, async () => (await settings.get()).accessGroups);
  await emulator.start(config.localAlbPort);
  logger.warn(`LOCAL MODE: no ALB configured, so the service trusts only the local ALB emulator's key. Never use this in production.`);
  // For the person at the terminal, beside the JSON log lines: where everything is.
  const alb = `http://localhost:${config.localAlbPort}`;
  const banner = [
      '',
      `alb-usersync is running in LOCAL MODE (never in production)`,
      `  sign in           ${alb}/            (Demo User, Local Admin, or your own claims)`,
      `  admin console     ${alb}/admin/      (as Local Admin)`,
      `  service           http://localhost:${config.port}/health   (direct, no ALB in front: /health, /api/...)`,
      `  API docs          http://localhost:${config.port}/api/docs`,
      generatedAdminToken
        ? `  admin API token   ${generatedAdminToken}   (for this run, also in ${LOCAL_ADMIN_TOKEN_FILE}; or set ADMIN_API_TOKEN before npm start)`
        : `  admin API token   the ADMIN_API_TOKEN you set`,
      `  reset the demo    stop it, then npm run local:reset (refused while it runs)`,
    '',
    '',
  ].join('\n');
  // Pretty logs are written by a worker thread: after its start-up lines, not above them.
  if (config.logFormat === 'pretty') setTimeout(() => process.stdout.write(banner), 300);
  else process.stdout.write(banner);
  return emulator;
}
