import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AlbAuthenticator } from './alb-authenticator.service';
import { AUTHENTICATED_BY } from './decorators/authenticated-by.decorator';
import { IS_PUBLIC } from './decorators/public.decorator';

/**
 * Public? or authenticated by its own guard? → AlbAuthenticator (token, then principal). It holds
 * no verification, provisioning or group logic of its own (@RequireGroups brings its own guard).
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
    await this.authenticator.authenticate(context.switchToHttp().getRequest());
    return true;
  }
}
