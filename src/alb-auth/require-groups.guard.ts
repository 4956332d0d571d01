import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { nameKey } from '../common/name-key';
import { AlbAuthenticator } from './alb-authenticator.service';

export const REQUIRED_GROUPS = Symbol('alb-usersync:required-groups');

/**
 * @RequireGroups' own guard: the request's ALB principal (authenticated here if no guard before
 * did: the check fails closed, never skipped) must be in one of the groups, compared by name key.
 */
@Injectable()
export class RequireGroupsGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: AlbAuthenticator,
  ) {}

  /** A class's @RequireGroups and a method's both hold: one of each list (a method's never loosens its class's). */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const lists = [this.reflector.get<string[] | undefined>(REQUIRED_GROUPS, context.getClass()), this.reflector.get<string[] | undefined>(REQUIRED_GROUPS, context.getHandler())];
    const principal = await this.authenticator.authenticate(context.switchToHttp().getRequest());
    const mine = new Set(principal.groups.map(nameKey));
    for (const required of lists) {
      if (required && !required.some((group) => mine.has(nameKey(group)))) {
        throw new DomainError(ErrorCode.FORBIDDEN, `Requires membership of one of: ${required.join(', ')}`);
      }
    }
    return true;
  }
}
