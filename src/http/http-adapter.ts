import { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Duplex } from 'node:stream';
import { errorBody } from '../common/errors/error-body';
import { ErrorCode } from '../common/errors/error-code.enum';
import { requestContext } from '../common/http/request-context';

export type HttpAdapterName = 'express' | 'fastify';

/**
 * The HTTP adapter for a Nest app (`HTTP_ADAPTER`): undefined means Nest's default, Express.
 * Fastify is given a client-error handler so that requests its parser refuses get the contract's JSON.
 */
/** A 255-character username in a path, percent-encoded, may take 12 characters per character. */
export const MAX_PARAM_LENGTH = 4096;

export function createHttpAdapter(name: HttpAdapterName): FastifyAdapter | undefined {
  if (name !== 'fastify') return undefined;
  return new FastifyAdapter({
    // Trusted proxies are the ALB's business: never derive identity from X-Forwarded-*.
    trustProxy: false,
    // /admin/ is /admin, as on Express.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, ignoreTrailingSlash: true },
    // Errors Fastify answers before routing (bad URL encoding, over-long parameters), in the contract's shape.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const context = requestContext(request);
      if (context) void reply.header('x-request-id', context.id);
      void reply
        .code(tooLong ? 414 : 400)
        .type('application/json')
        .send({
          ...errorBody(tooLong ? 414 : 400, tooLong ? ErrorCode.URI_TOO_LONG : ErrorCode.BAD_REQUEST, tooLong ? 'A path parameter is too long' : 'Malformed URL'),
          ...(context && { requestId: context.id }),
        });
    },
    clientErrorHandler: (error, socket) => answerClientError(error, socket),
  });
}

/** Answers a request Node's HTTP parser refused (headers over 16 KiB, a malformed request line). */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', ErrorCode.HEADERS_TOO_LARGE, 'Request headers too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', ErrorCode.REQUEST_TIMEOUT, 'The request did not arrive in time']
        : [400, 'Bad Request', ErrorCode.BAD_REQUEST, 'Malformed HTTP request'];
  const body = JSON.stringify(errorBody(status, code, message));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Fastify registers routes lazily: wait for it before serving (supertest, listen). */
export async function readyHttpAdapter(app: INestApplication): Promise<void> {
  const instance = app.getHttpAdapter().getInstance() as { ready?: () => Promise<unknown> };
  if (app.getHttpAdapter().getType() === 'fastify' && typeof instance.ready === 'function') await instance.ready();
}
