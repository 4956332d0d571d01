import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AlbAuthenticator } from '../alb-auth/alb-authenticator.service';
import { AlbPrincipal } from '../alb-auth/alb-principal';
import { DomainExceptionFilter } from '../common/errors/domain-exception.filter';
import { RequestContext } from '../common/http/request-context';
import { ME_CONTENT_TYPE, MeBodies } from './me-bodies';

export const ME_ROUTE = '/api/me';

/**
 * GET /api/me answered as the request reaches the Node server, before the framework routes it: it
 * is the service's hottest route, and the framework's per-request pipeline (execution context,
 * guard, Passport, response mapping) cost more than the rest of a request with a known token
 * (docs/benchmarks.md). The same authentication (AlbAuthenticator.authenticate: the `alb` strategy,
 * verifier and login), the same body as MeController, refusals through the same filter.
 */
@Injectable()
export class MeEarlyAnswer {
  constructor(
    private readonly authenticator: AlbAuthenticator,
    private readonly bodies: MeBodies,
    private readonly errors: DomainExceptionFilter,
  ) {}

  /** Whether this request is GET /api/me, taken (and answered) here; with a body, the framework's bounds apply. */
  take(request: IncomingMessage, response: ServerResponse, context: RequestContext): boolean {
    if (request.method !== 'GET' || request.url !== ME_ROUTE) return false;
    const length = request.headers['content-length'];
    if ((length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined) return false;
    context.route = ME_ROUTE;
    try {
      const principal = this.authenticator.authenticate(request);
      if (principal instanceof Promise) {
        principal.then((known) => this.answer(known, response, context)).catch((error: unknown) => this.refuse(error, request, response, context));
      } else this.answer(principal, response, context);
    } catch (error) {
      this.refuse(error, request, response, context);
    }
    return true;
  }

  private answer(principal: AlbPrincipal, response: ServerResponse, context: RequestContext): void {
    const body = this.bodies.of(principal);
    response.writeHead(200, { 'content-type': ME_CONTENT_TYPE, 'content-length': Buffer.byteLength(body), 'x-request-id': context.id }).end(body);
  }

  private refuse(error: unknown, request: IncomingMessage, response: ServerResponse, context: RequestContext): void {
    try {
      if (response.headersSent) throw error;
      response.setHeader('x-request-id', context.id);
      this.errors.answer(error, request, response);
    } catch {
      // Nothing sensible can be sent any more: end the exchange rather than leave it hanging.
      response.destroy();
    }
  }
}
