import { Logger } from '@nestjs/common';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { errorBody } from './common/errors/error-body';
import { ErrorCode } from './common/errors/error-code.enum';
import { RequestContext, startRequestContext } from './common/http/request-context';
import { metrics } from './common/metrics';

const requestLog = new Logger('HTTP');

/**
 * Bounds on what a client may make the server wait for, on either adapter's Node server: the
 * whole request (headers and body) must arrive within `requestTimeoutMs` (Node answers 408 and
 * closes; checked every second), and an HTTP/1.1 request without Host gets the contract's JSON
 * instead of Node's empty 400. Every request gets an id (`x-request-id`), one log line at info
 * and its metrics when answered, on either adapter.
 */
export function applyServerLimits(httpServer: Server, requestTimeoutMs: number, logRequests: boolean, options: ServerLimitOptions = {}): void {
  // Node reads these two on 'listening' and per request; @types/node does not declare them.
  const server = httpServer as Server & { connectionsCheckingInterval: number; requireHostHeader: boolean };
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = Math.min(requestTimeoutMs, 60_000);
  server.connectionsCheckingInterval = 1000;
  server.requireHostHeader = false;
  const handlers = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const context = startRequestContext(request);
    (response as Observed)[EXCHANGE] = { request, context, log: logRequests };
    // One listener shared by every response: no closure per request.
    response.on('close', observeClosed);
    if (request.headers.host === undefined && request.httpVersion === '1.1') {
      const body = JSON.stringify(errorBody(400, ErrorCode.BAD_REQUEST, 'An HTTP/1.1 request needs a Host header'));
      response.writeHead(400, { 'content-type': 'application/json', connection: 'close', 'x-request-id': context.id }).end(body);
      return;
    }
    // Closing, it goes to the framework as before (Fastify answers 503).
    if (options.answerEarly && server.listening && options.answerEarly(request, response, context)) return;
    // Fastify adds it to its own headers (app.setup.ts): a header set here first would send every
    // response of that adapter down Node's slower writeHead path, merging header by header.
    // Closing, Fastify answers 503 before its hooks run: then the id is set here.
    if (!options.adapterSetsRequestId || !server.listening) response.setHeader('x-request-id', context.id);
    for (const handler of handlers) handler.call(server, request, response);
  });
}

export interface ServerLimitOptions {
  /** The adapter puts x-request-id among its own headers (Fastify, app.setup.ts). */
  adapterSetsRequestId?: boolean;
  /** A route answered before the framework routes the request (GET /api/me): true when it takes the request. */
  answerEarly?: (request: IncomingMessage, response: ServerResponse, context: RequestContext) => boolean;
}

const EXCHANGE = Symbol('alb-usersync.exchange');
type Observed = ServerResponse & { [EXCHANGE]?: { request: IncomingMessage; context: RequestContext; log: boolean } };

function observeClosed(this: Observed): void {
  const exchange = this[EXCHANGE];
  if (exchange) observe(exchange.request, this, exchange.context, exchange.log);
}

/** One log line and the metrics of an answered request: what and how, never headers, paths or claims. */
function observe(request: IncomingMessage, response: ServerResponse, context: RequestContext, log: boolean): void {
  const seconds = Number(process.hrtime.bigint() - context.startedAt) / 1e9;
  const route = context.route ?? expressRoute(request) ?? 'unmatched';
  const status = response.headersSent ? response.statusCode : 499;
  const labels = { method: request.method ?? '', route, status: String(status) };
  metrics.httpRequests.inc(labels);
  metrics.httpDuration.observe(labels, seconds);
  // Below info the line would be dropped anyway: do not build it.
  if (!log) return;
  requestLog.log({
    msg: 'request completed',
    requestId: context.id,
    method: labels.method,
    route,
    status,
    durationMs: Math.round(seconds * 10_000) / 10,
    ...(context.userId && { userId: context.userId }),
    ...(context.code && { code: context.code }),
  });
}

/** Express leaves the matched route on the Node request (Fastify's is recorded by an onRequest hook). */
function expressRoute(request: IncomingMessage): string | undefined {
  const matched = request as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  return typeof matched.route?.path === 'string' ? `${matched.baseUrl ?? ''}${matched.route.path}` : undefined;
}

/**
 * Shutdown with a bound: once closing starts, idle keep-alive connections are closed as soon as
 * they are idle (an ALB keeps them open for minutes), in-flight requests may finish, and after
 * `timeoutMs` every remaining connection is cut so the process can exit.
 */
export function boundShutdown(server: Server, timeoutMs: number, onTimeout: () => void): void {
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  sweep.unref();
  setTimeout(() => {
    clearInterval(sweep);
    onTimeout();
    server.closeAllConnections();
  }, timeoutMs).unref();
}
