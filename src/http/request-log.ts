import { Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContext } from '../common/http/request-context';
import { metrics } from '../common/metrics';

const requestLog = new Logger('HTTP');

/** One log line and the metrics of an answered request: what and how, never headers, paths or claims. */
export function observe(request: IncomingMessage, response: ServerResponse, context: RequestContext, log: boolean): void {
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

