import { ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { requestContext } from '../common/http/request-context';
import { AlbPrincipal, AlbPrincipalResolver, principalFromToken } from './alb-principal';
import { ALB_STRATEGY, AlbStrategy } from './alb.strategy';
import { VerifiedAlbToken } from './verifier/alb-token.types';

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
 * Who is making this request, according to the ALB: Passport `alb` verifies the token, the
 * principal resolver port (UserSync's login, when installed) turns it into the principal, which
 * goes on the request. Every guard that needs an ALB user asks this service.
 */
@Injectable()
export class AlbAuthenticator {
  constructor(
    private readonly passport: AlbPassport,
    private readonly strategy: AlbStrategy,
    // A port: UserSync provides its login here; without it the token is the principal.
    @Optional() @Inject(AlbPrincipalResolver) private readonly resolver?: AlbPrincipalResolver,
  ) {}

  async authenticate(context: ExecutionContext): Promise<AlbPrincipal> {
    await this.passport.canActivate(context);
    const request = context.switchToHttp().getRequest();
    const principal = await this.principalOf(request.user as VerifiedAlbToken, request);
    request.user = principal;
    return principal;
  }

  /**
   * The same from the Node request alone, for a route answered before the framework routes the
   * request (the service's GET /api/me): the `alb` strategy reads the same headers, the same
   * verifier checks them, the same resolver makes the principal.
   */
  authenticateRequest(request: IncomingMessage): Promise<AlbPrincipal> {
    return this.strategy.validate(request).then((token) => this.principalOf(token, request));
  }

  /**
   * authenticateRequest, answered without a promise when the token and its login outcome are both
   * remembered (a known user's next request: the service's commonest); a refusal may be thrown.
   */
  authenticateRequestNow(request: IncomingMessage): AlbPrincipal | Promise<AlbPrincipal> {
    const token = this.strategy.validateKnown(request);
    if (!token) return this.authenticateRequest(request);
    // Optional: a resolver given as a plain object or one that `implements` the port may lack it.
    const principal = this.resolver ? this.resolver.resolveKnown?.(token) : principalFromToken(token);
    return principal ? this.named(principal, request) : this.principalOf(token, request);
  }

  private async principalOf(token: VerifiedAlbToken, request: unknown): Promise<AlbPrincipal> {
    return this.named(this.resolver ? await this.resolver.resolve(token) : principalFromToken(token), request);
  }

  /** The principal, its user id noted for the request log. */
  private named(principal: AlbPrincipal, request: unknown): AlbPrincipal {
    const logged = requestContext(request);
    if (logged && typeof principal.userId === 'string') logged.userId = principal.userId;
    return principal;
  }
}
