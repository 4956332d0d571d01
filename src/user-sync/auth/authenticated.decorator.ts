import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUTHENTICATED_BY, AuthenticatedBy } from '../../alb-auth/decorators/authenticated-by.decorator';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AuthenticationService, Credentials } from './authentication.service';

const PREFIX = 'user-sync:';

/**
 * A UserSync route and the credentials it takes: its one metadata (AUTHENTICATED_BY) makes the
 * global ALB guard step aside and tells CredentialsGuard which credentials to ask
 * AuthenticationService for.
 */
export const Authenticated = (credentials: Credentials) => applyDecorators(AuthenticatedBy(`${PREFIX}${credentials}`), UseGuards(CredentialsGuard));

/** The guard @Authenticated brings: the route's credentials, from its metadata, checked by AuthenticationService. */
@Injectable()
export class CredentialsGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const by = this.reflector.getAllAndOverride<string | undefined>(AUTHENTICATED_BY, [context.getHandler(), context.getClass()]);
    // Fail closed: on a route without @Authenticated the global ALB guard may not have stepped aside for it.
    if (by !== `${PREFIX}admin` && by !== `${PREFIX}scim`) throw new DomainError(ErrorCode.FORBIDDEN, 'Not a UserSync route');
    await this.authentication.authenticate(context.switchToHttp().getRequest(), by.slice(PREFIX.length) as Credentials);
    return true;
  }
}
