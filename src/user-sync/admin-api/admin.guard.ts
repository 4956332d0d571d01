import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUTHENTICATED_BY } from '../../alb-auth/decorators/authenticated-by.decorator';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AdminAccess } from './admin-access.service';

/** The AUTHENTICATED_BY value @AdminApi() sets: the routes AdminGuard authenticates. */
export const ADMIN_API = 'user-sync:admin-api';

/** Guards the routes marked @AdminApi(), delegating to AdminAccess. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AdminAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Fail closed: on a route without @AdminApi() the global ALB guard may not have stepped aside for it.
    if (this.reflector.getAllAndOverride<string>(AUTHENTICATED_BY, [context.getHandler(), context.getClass()]) !== ADMIN_API) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Not an admin API route');
    }
    await this.access.authenticate(context);
    return true;
  }
}
