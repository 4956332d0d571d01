import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What the request log line and metrics say about one request; filled in as the request goes. */
export interface RequestContext {
  id: string;
  startedAt: bigint;
  /** The matched route's pattern (never the path: it may hold usernames). */
  route?: string;
  /** The provisioned user's id, or `api-token`. */
  userId?: string;
  /** The contract error code of a refused request. */
  code?: string;
}

const CONTEXT = Symbol.for('alb-usersync.request-context');
const INCOMING_ID = /^[A-Za-z0-9._:=-]{1,64}$/;

/** Starts the context of a request arriving at the Node server (an incoming x-request-id is kept when sane). */
export function startRequestContext(request: IncomingMessage): RequestContext {
  const incoming = request.headers['x-request-id'];
  const context: RequestContext = {
    id: typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID(),
    startedAt: process.hrtime.bigint(),
  };
  (request as IncomingMessage & { [CONTEXT]?: RequestContext })[CONTEXT] = context;
  return context;
}

/** The context of a request, from the Node request or the adapter's (Fastify keeps the Node one in `raw`). */
export function requestContext(request: unknown): RequestContext | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const raw = (request as { raw?: unknown }).raw ?? request;
  return (raw as { [CONTEXT]?: RequestContext })[CONTEXT];
}
