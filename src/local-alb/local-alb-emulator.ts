import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, request as httpRequest, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DEFAULT_ACCESS_TOKEN_HEADER, DEFAULT_TOKEN_HEADER } from '../alb-auth/alb-auth.options';
import { LOCAL_ALB } from '../config/app-config';
import { publicJwk, signAccessToken } from './access-token-signer';
import { signAlbToken } from '../testing/alb-token-signer';
import { LocalAlbKeys } from './local-alb-keys';
import { SAMPLE_IDENTITIES, splitTypedClaims } from './sample-identities';
import { renderHomePage, renderSignInPage } from './sign-in-page';

export const SESSION_COOKIE = 'AWSELBAuthSessionCookie-0';
const KEY_PATH = '/.alb/keys/';
const JWKS_PATH = '/.alb/jwks.json';
const SIGN_IN_PATH = '/.alb/sign-in';
const MAX_FORM_BYTES = 64 * 1024;

/**
 * Behaves like an ALB listener with OIDC authentication, for laptops: a sign-in page, a session
 * cookie, and a reverse proxy that adds freshly signed `x-amzn-oidc-*` headers to every request.
 * It also serves its public key, which the service trusts in local mode only.
 */
export class LocalAlbEmulator {
  private readonly logger = new Logger(LocalAlbEmulator.name);
  private readonly sessions = new Map<string, Session>();
  private server?: Server;

  constructor(
    private readonly keys: LocalAlbKeys,
    private readonly targetPort: number,
    /** The settings' access groups as they are now, for the sign-in page's labels (null: unknown). */
    private readonly accessGroups: () => Promise<string[] | null> = async () => null,
  ) {}

  async start(port: number, host = '127.0.0.1'): Promise<number> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.logger.error(`emulator error: ${(error as Error).message}`);
        if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
        response.end('Bad gateway');
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local-alb');
    if (url.pathname.startsWith(KEY_PATH)) {
      const kid = decodeURIComponent(url.pathname.slice(KEY_PATH.length));
      if (kid !== this.keys.kid) return void response.writeHead(404).end('no such key');
      return void response.writeHead(200, { 'content-type': 'text/plain' }).end(this.keys.publicPem);
    }
    if (url.pathname === JWKS_PATH) {
      const jwks = { keys: [publicJwk(this.keys.accessPrivateKey, this.keys.accessKid)] };
      return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    }
    if (url.pathname === SIGN_IN_PATH) {
      if (request.method === 'POST') return this.signIn(request, response);
      return this.page(response, safeRedirect(url.searchParams.get('redirect')));
    }
    const sessionId = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = sessionId ? this.sessions.get(sessionId) : undefined;
    if (session && url.pathname === '/') {
      return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderHomePage(session.claims));
    }
    if (!session) {
      const target = url.pathname === '/' ? '/api/me' : `${url.pathname}${url.search}`;
      response.writeHead(302, { location: `${SIGN_IN_PATH}?redirect=${encodeURIComponent(target)}` }).end();
      return;
    }
    this.proxy(request, response, session, sessionId as string);
  }

  private async page(response: ServerResponse, redirect: string, error?: string, status = 200): Promise<void> {
    const accessGroups = await this.accessGroups().catch(() => null);
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(renderSignInPage(redirect, error, accessGroups));
  }

  private async signIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    const redirect = safeRedirect(form.get('redirect'));
    let session: Session | undefined;
    const typed = form.get('claims')?.trim();
    if (typed) {
      try {
        const parsed: unknown = JSON.parse(typed);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        session = splitTypedClaims(parsed as Record<string, unknown>);
      } catch {
        return this.page(response, redirect, 'The claims must be a JSON object.', 400);
      }
    } else {
      const identity = SAMPLE_IDENTITIES.find((sample) => sample.id === form.get('identity'));
      if (!identity) return this.page(response, redirect, 'Pick an identity.', 400);
      session = { claims: identity.claims, accessClaims: identity.accessClaims };
    }
    if (typeof session.claims.sub !== 'string' || !session.claims.sub) session.claims = { sub: `local-${randomBytes(6).toString('hex')}`, ...session.claims };
    const sessionId = randomBytes(24).toString('base64url');
    this.sessions.set(sessionId, session);
    response
      .writeHead(302, {
        location: redirect,
        'set-cookie': `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Lax`,
      })
      .end();
  }

  private proxy(request: IncomingMessage, response: ServerResponse, { claims, accessClaims }: Session, sessionId: string): void {
    const headers: Record<string, string | string[] | undefined> = {};
    // Like an ALB, never pass on x-amzn-oidc-* headers a client sent.
    for (const [name, value] of Object.entries(request.headers)) if (!name.startsWith('x-amzn-oidc-')) headers[name] = value;
    headers[DEFAULT_TOKEN_HEADER] = signAlbToken({
      privateKey: this.keys.privateKey,
      kid: this.keys.kid,
      signer: LOCAL_ALB.arn,
      issuer: LOCAL_ALB.issuer,
      client: LOCAL_ALB.clientId,
      claims,
      expiresIn: 120,
    });
    headers['x-amzn-oidc-identity'] = String(claims.sub);
    headers[DEFAULT_ACCESS_TOKEN_HEADER] = signAccessToken({
      privateKey: this.keys.accessPrivateKey,
      kid: this.keys.accessKid,
      issuer: LOCAL_ALB.issuer,
      clientId: LOCAL_ALB.clientId,
      sub: String(claims.sub),
      claims: { username: claims.username, ...accessClaims },
    });
    const upstream = httpRequest(
      { host: '127.0.0.1', port: this.targetPort, method: request.method, path: request.url, headers },
      (reply) => {
        const cookies = ([] as string[]).concat(reply.headers['set-cookie'] ?? []);
        // The service's /logout expires the session cookie: forget the session here too.
        if (cookies.some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`) && /expires=thu, 01 jan 1970/i.test(cookie))) {
          this.sessions.delete(sessionId);
        }
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end('The service is not reachable');
    });
    request.pipe(upstream);
  }
}

interface Session {
  claims: Record<string, unknown>;
  accessClaims: Record<string, unknown>;
}

function safeRedirect(target: string | null): string {
  // Only a path on this host: no open redirect.
  return target && target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\') ? target : '/api/me';
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        reject(new Error('form too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
