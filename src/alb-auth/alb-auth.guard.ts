import { ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '../common/errors/domain-error';
import { requestContext } from '../common/http/request-context';
import { nameKey } from '../common/name-key';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AlbPrincipal, AlbPrincipalResolver, principalFromToken } from './alb-principal';
import { ALB_STRATEGY } from './alb.strategy';
import { IS_PUBLIC } from './decorators/public.decorator';
import { REQUIRED_GROUPS } from './decorators/require-groups.decorator';
import { VerifiedAlbToken } from './verifier/alb-token.types';

/**
 * Public? → Passport `alb` (token verification) → principal resolver (UserSync provisioning, when
 * installed) → @RequireGroups. It holds no verification or provisioning logic of its own.
 */
@Injectable()
export class AlbAuthGuard extends AuthGuard(ALB_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    // A port: UserSync provides its provisioning here; without it the token is the principal.
    @Optional() @Inject(AlbPrincipalResolver) private readonly resolver?: AlbPrincipalResolver,
  ) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const principal = await this.authenticate(context);
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_GROUPS, targets);
    if (required?.length) {
      const mine = new Set(principal.groups.map(nameKey));
      if (!required.some((group) => mine.has(nameKey(group)))) {
        throw new DomainError(ErrorCode.FORBIDDEN, `Requires membership of one of: ${required.join(', ')}`);
      }
    }
    return true;
  }

  /** Verifies the token (Passport `alb`), resolves the principal and puts it on the request. */
  protected async authenticate(context: ExecutionContext): Promise<AlbPrincipal> {
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest();
    const token = request.user as VerifiedAlbToken;
    const principal: AlbPrincipal = this.resolver ? await this.resolver.resolve(token) : principalFromToken(token);
    request.user = principal;
    const logged = requestContext(request);
    if (logged && typeof principal.userId === 'string') logged.userId = principal.userId;
    return principal;
  }

  handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    if (!user) throw new DomainError(ErrorCode.TOKEN_MISSING, 'No token');
    return user;
  }
}
