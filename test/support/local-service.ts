import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { Browser, chromium } from 'playwright-core';

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
    const port = await freePortPair();
    Object.assign(handle, { port, albPort: port + 1000 });
    service = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'src/main.ts')], {
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

/** A port from 3900–3949 free on every interface, with its emulator's (+1000) free too. */
async function freePortPair(): Promise<number> {
  const offset = Math.floor(Math.random() * 50);
  for (let i = 0; i < 50; i++) {
    const port = 3900 + ((offset + i) % 50);
    if ((await isFree(port)) && (await isFree(port + 1000))) return port;
  }
  throw new Error('no free port pair in 3900–3949 (+1000)');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}
