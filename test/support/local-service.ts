import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { Browser, chromium } from 'playwright-core';
import { freePort } from './free-port';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const NO_CHROMIUM = !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}`;
const ROOT = resolve(__dirname, '../..');

export interface LocalService {
  port: number;
  albPort: number;
  browser: Browser;
  /** What the service printed so far (for assertion messages). */
  output(): string;
  /** The folder it runs in (its ./data). */
  folder: string;
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { redirect: 'manual' });
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms`);
}

/**
 * Registers hooks: the service in local mode as `npm start` runs it (from a fresh data folder, the
 * console as `npm run build` left it in dist/admin), its ALB emulator, and Debian's Chromium.
 */
export function useLocalService(options: { browser?: boolean } = {}): LocalService {
  const folder = mkdtempSync(join(tmpdir(), 'alb-usersync-local-'));
  let service: ChildProcess;
  let output = '';
  const handle = { port: 0, albPort: 0, output: () => output, folder } as LocalService;

  before(async () => {
    // Its emulator listens on port + 1000.
    const port = await freePort(3900, 3950, [1000]);
    Object.assign(handle, { port, albPort: port + 1000 });
    service = spawn(process.execPath, ['--disable-proto=delete', '-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'src/main.ts')], {
      cwd: folder,
      env: { ...process.env, NODE_ENV: 'development', PORT: String(handle.port), LOCAL_ALB_PORT: String(handle.albPort), LOG_LEVEL: 'warn', DATABASE_URL: '', ALB_ARNS: '', ADMIN_API_TOKEN: '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout?.on('data', (chunk) => (output += chunk));
    service.stderr?.on('data', (chunk) => (output += chunk));
    await waitFor(`http://127.0.0.1:${handle.albPort}/.alb/sign-in`, 60_000);
    if (options.browser === false) return;
    handle.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await handle.browser?.close();
    service?.kill('SIGTERM');
    rmSync(folder, { recursive: true, force: true });
  });
  return handle;
}
