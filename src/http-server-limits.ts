import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { errorBody } from './common/errors/domain-exception.filter';
import { ErrorCode } from './common/errors/error-code.enum';

/**
 * Bounds on what a client may make the server wait for, on either adapter's Node server: the
 * whole request (headers and body) must arrive within `requestTimeoutMs` (Node answers 408 and
 * closes; checked every second), and an HTTP/1.1 request without Host gets the contract's JSON
 * instead of Node's empty 400.
 */
export function applyServerLimits(httpServer: Server, requestTimeoutMs: number): void {
  // Node reads these two on 'listening' and per request; @types/node does not declare them.
  const server = httpServer as Server & { connectionsCheckingInterval: number; requireHostHeader: boolean };
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = Math.min(requestTimeoutMs, 60_000);
  server.connectionsCheckingInterval = 1000;
  server.requireHostHeader = false;
  const handlers = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.headers.host === undefined && request.httpVersion === '1.1') {
      const body = JSON.stringify(errorBody(400, ErrorCode.BAD_REQUEST, 'An HTTP/1.1 request needs a Host header'));
      response.writeHead(400, { 'content-type': 'application/json', connection: 'close' }).end(body);
      return;
    }
    for (const handler of handlers) handler.call(server, request, response);
  });
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
