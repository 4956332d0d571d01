import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { errorBody } from '../common/errors/error-body';
import { ErrorCode } from '../common/errors/error-code.enum';
import { RequestContext, startRequestContext } from '../common/http/request-context';
import { observe } from './request-log';

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
