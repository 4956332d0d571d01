import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { requestContext } from '../common/http/request-context';
import { AlbPrincipal } from './alb-principal';
import { ALB_STRATEGY, AlbStrategy, isAlbPrincipal } from './alb.strategy';

/** Passport `alb`, with its failures as the contract's errors instead of a bare 401. */
@Injectable()
export class AlbPassport extends AuthGuard(ALB_STRATEGY) {
  handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    if (!user) throw new DomainError(ErrorCode.TOKEN_MISSING, 'No token');
    return user;
  }
}

/**
 * Who is making this request, according to the ALB: Passport `alb` verifies the token and
 * resolves the principal, which goes on the request. Every guard that needs an ALB user asks this
 * service (AlbAuthGuard, RequireGroupsGuard, UserSync's admin guard).
 */
@Injectable()
export class AlbAuthenticator {
  constructor(
    private readonly passport: AlbPassport,
    private readonly strategy: AlbStrategy,
  ) {}

  /** The request's principal: the one already on it (a host's `AuthGuard('alb')` ran first), else Passport `alb`'s. */
  async authenticate(context: ExecutionContext): Promise<AlbPrincipal> {
    const request = context.switchToHttp().getRequest();
    if (!isAlbPrincipal(request.user)) await this.passport.canActivate(context);
    return this.named(request.user as AlbPrincipal, request);
  }

  /**
   * The same from the Node request alone, for a route answered before the framework routes the
   * request (the service's GET /api/me): the `alb` strategy reads the same headers and resolves the
   * same principal, without a promise when both are remembered.
   */
  authenticateRequestNow(request: IncomingMessage): AlbPrincipal | Promise<AlbPrincipal> {
    const principal = this.strategy.validateNow(request);
    return principal instanceof Promise ? principal.then((resolved) => this.named(resolved, request)) : this.named(principal, request);
  }

  /** The principal, its user id noted for the request log. */
  private named(principal: AlbPrincipal, request: unknown): AlbPrincipal {
    const logged = requestContext(request);
    if (logged && typeof principal.userId === 'string') logged.userId = principal.userId;
    return principal;
  }
}
