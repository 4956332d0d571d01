import { Server } from 'node:http';

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
