import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { nameKey } from '../common/name-key';
import { AlbAuthenticator } from './alb-authenticator.service';
import { AUTHENTICATED_BY } from './decorators/authenticated-by.decorator';
import { IS_PUBLIC } from './decorators/public.decorator';
import { REQUIRED_GROUPS } from './decorators/require-groups.decorator';

/**
 * Public? or authenticated by its own guard? → AlbAuthenticator (token, then principal) →
 * @RequireGroups. It holds no verification or provisioning logic of its own.
 */
@Injectable()
export class AlbAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: AlbAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (this.reflector.getAllAndOverride<string>(AUTHENTICATED_BY, targets)) return true;
    const principal = await this.authenticator.authenticate(context);
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_GROUPS, targets);
    if (required?.length) {
      const mine = new Set(principal.groups.map(nameKey));
      if (!required.some((group) => mine.has(nameKey(group)))) {
        throw new DomainError(ErrorCode.FORBIDDEN, `Requires membership of one of: ${required.join(', ')}`);
      }
    }
    return true;
  }
}
