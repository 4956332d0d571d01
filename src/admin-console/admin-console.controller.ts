import { Controller, Get, Logger, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { Public } from '../alb-auth/decorators/public.decorator';

/** Where `npm run build` puts the console (vite, web/admin): the same from src/ (ts-node) and dist/. */
export const ADMIN_CONSOLE_DIR = join(__dirname, '..', '..', 'dist', 'admin');

/**
 * No inline script or style, nothing from another origin: the console calls only this service's
 * API, with JSON bodies, and the ALB session cookie is the only credential.
 */
export const ADMIN_CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};
const MAX_FILES = 200;

interface StaticFile {
  body: Buffer;
  type: string;
}

interface AdapterResponse {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  send(body?: unknown): unknown;
}

/**
 * The admin console at /admin: its built files, read once at start (a few hundred KiB), served with
 * a strict CSP. Any other /admin path answers index.html (the console routes by the URL's hash). The files hold no
 * data; the API they call is the admin API, with its own authentication.
 */
@ApiExcludeController()
@Public()
@Controller('admin')
export class AdminConsoleController {
  private readonly logger = new Logger(AdminConsoleController.name);
  private readonly files = new Map<string, StaticFile>();

  constructor() {
    if (!existsSync(join(ADMIN_CONSOLE_DIR, 'index.html'))) {
      this.logger.warn(`The admin console is not built (${ADMIN_CONSOLE_DIR}): npm run build`);
      return;
    }
    for (const path of listFiles(ADMIN_CONSOLE_DIR).slice(0, MAX_FILES)) {
      const name = relative(ADMIN_CONSOLE_DIR, path).split(sep).join('/');
      this.files.set(name, { body: readFileSync(path), type: TYPES[extname(path)] ?? 'application/octet-stream' });
    }
  }

  @Get()
  index(@Res() response: AdapterResponse): void {
    this.send(response, 'index.html');
  }

  // Two plain routes rather than a wildcard: wildcards are spelt differently by Express and Fastify.
  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() response: AdapterResponse): void {
    this.send(response, this.files.has(`assets/${file}`) ? `assets/${file}` : 'index.html');
  }

  @Get(':file')
  file(@Param('file') file: string, @Res() response: AdapterResponse): void {
    this.send(response, this.files.has(file) ? file : 'index.html');
  }

  private send(response: AdapterResponse, name: string): void {
    response.header('content-security-policy', ADMIN_CONSOLE_CSP);
    response.header('x-content-type-options', 'nosniff');
    response.header('referrer-policy', 'no-referrer');
    response.header('x-frame-options', 'DENY');
    const file = this.files.get(name);
    if (!file) {
      response.status(503);
      response.header('content-type', 'text/plain; charset=utf-8');
      response.send('The admin console is not built: run npm run build');
      return;
    }
    // Hashed asset names never change; index.html names the current ones.
    response.header('cache-control', name === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable');
    response.header('content-type', file.type);
    response.status(200);
    response.send(file.body);
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
