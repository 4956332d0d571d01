import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AlbPrincipalResolver } from '../alb-auth/alb-principal';
import { AlbAuthGuard } from '../alb-auth/alb-auth.guard';
import { DomainError } from '../common/errors/domain-error';
import { requestContext } from '../common/http/request-context';
import { SecretDigest } from '../common/security/secret-digest';
import { ErrorCode } from '../common/errors/error-code.enum';
import { nameKey } from '../user-sync/identity/identity-rules';
import { USER_SYNC_OPTIONS } from '../user-sync/user-sync.module-definition';
import { UserSyncModuleOptions } from '../user-sync/user-sync.options';
import { assertJsonBody } from './json-body';

export const API_TOKEN_ACTOR = 'api-token';

/** Admin API access: `Authorization: Bearer <ADMIN_API_TOKEN>`, or an ALB user in ADMIN_GROUPS. */
@Injectable()
export class AdminGuard extends AlbAuthGuard {
  private readonly apiToken: SecretDigest | null;
  private readonly adminGroups: Set<string>;

  constructor(reflector: Reflector, resolver: AlbPrincipalResolver, @Inject(USER_SYNC_OPTIONS) options: UserSyncModuleOptions) {
    super(reflector, resolver);
    this.apiToken = options.adminApiToken ? new SecretDigest(options.adminApiToken) : null;
    this.adminGroups = new Set((options.adminGroups ?? ['alb-usersync-admins']).map(nameKey));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    assertJsonBody(request);
    const authorization = request.headers.authorization as string | undefined;
    if (authorization !== undefined) {
      if (!this.apiToken?.matchesBearer(authorization)) {
        throw new DomainError(ErrorCode.TOKEN_INVALID, 'Invalid admin API token');
      }
      request.user = { username: API_TOKEN_ACTOR, groups: [], token: null };
      const context = requestContext(request);
      if (context) context.userId = API_TOKEN_ACTOR;
      return true;
    }
    const principal = await this.authenticate(context);
    if (!principal.groups.some((group) => this.adminGroups.has(nameKey(group)))) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'The admin API needs membership of an admin group');
    }
    return true;
  }
}
