import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { FastifyInstance } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { Server } from 'node:http';
import { Duplex } from 'node:stream';
import { answerClientError } from './http/http-adapter';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.module';
import { applyServerLimits } from './http/server-limits';
import { requestContext } from './common/http/request-context';
import { MeEarlyAnswer } from './me/me-early-answer';
import { DEFAULT_TOKEN_HEADER } from './alb-auth/alb-auth.options';

/** Everything main.ts and the e2e tests both do to an app before it listens. */
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  const fastifyAdapter = app.getHttpAdapter().getType() === 'fastify';
  const meEarly = app.get(MeEarlyAnswer);
  applyServerLimits(app.getHttpServer(), config.requestTimeoutMs, ['info', 'debug', 'trace'].includes(config.logLevel), {
    adapterSetsRequestId: fastifyAdapter,
    answerEarly: (request, response, context) => meEarly.take(request, response, context),
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // SCIM clients send application/scim+json (RFC 7644 §3.1).
  if (app.getHttpAdapter().getType() === 'fastify') {
    const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
    fastify.addContentTypeParser('application/scim+json', { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));
  }
  else (app as NestExpressApplication).useBodyParser('json', { type: ['application/json', 'application/scim+json'] });
  const http = app.getHttpAdapter().getInstance();
  if (typeof http.disable === 'function') http.disable('x-powered-by');
  if (app.getHttpAdapter().getType() === 'fastify') {
    // The matched route's pattern, for the request log and metrics (Express keeps it on the request);
    // the request id among Fastify's own headers (applyServerLimits leaves it to this hook).
    http.addHook('onRequest', (request: { raw: unknown; routeOptions?: { url?: string } }, reply: { header(name: string, value: string): unknown }, done: () => void) => {
      const context = requestContext(request);
      if (context) {
        reply.header('x-request-id', context.id);
        if (request.routeOptions?.url) context.route = request.routeOptions.url;
      }
      done();
    });
  }
  guardDocsPage(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('alb-usersync')
      .setDescription('Verifies AWS ALB OIDC tokens and provisions users just in time from their claims')
      .setVersion('0.1.0')
      .addApiKey({ type: 'apiKey', in: 'header', name: DEFAULT_TOKEN_HEADER }, 'alb')
      .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'admin-token')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  // Fastify answers these itself (see createHttpAdapter); a second listener would answer twice.
  if (app.getHttpAdapter().getType() !== 'fastify') answerClientErrors(app.getHttpServer());
  return app;
}

/** Swagger UI's page: its scripts are files of its own; its styles are partly inline (React's style attributes). */
export const API_DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** /api/docs gets the browser protections /admin has: a CSP, no framing, no sniffing, no referrer. */
function guardDocsPage(app: INestApplication): void {
  const headers: Array<[string, string]> = [
    ['content-security-policy', API_DOCS_CSP],
    ['x-frame-options', 'DENY'],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'no-referrer'],
  ];
  // Case-insensitive: Express routes /API/DOCS to the same page.
  const isDocs = (url: string | undefined) => /^\/api\/docs(?:[/?#-]|$)/i.test(url ?? '');
  if (app.getHttpAdapter().getType() === 'fastify') {
    const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
    fastify.addHook('onRequest', (request, reply, done) => {
      if (isDocs(request.url)) for (const [name, value] of headers) void reply.header(name, value);
      done();
    });
  } else {
    (app as NestExpressApplication).use((request: { url?: string }, response: { setHeader(name: string, value: string): void }, next: () => void) => {
      if (isDocs(request.url)) for (const [name, value] of headers) response.setHeader(name, value);
      next();
    });
  }
}

/**
 * Requests Node's HTTP parser refuses (headers over 16 KiB, malformed request lines) never reach
 * Nest: answer them in the contract's JSON too, instead of Node's empty 400/431.
 */
function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    answerClientError(error, socket);
  });
}
