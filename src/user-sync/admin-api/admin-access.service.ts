import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AlbAuthenticator } from '../../alb-auth/alb-authenticator.service';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { requestContext } from '../../common/http/request-context';
import { SecretDigest } from '../../common/security/secret-digest';
import { nameKey } from '../identity/identity-rules';
import { DEFAULT_ADMIN_GROUPS, USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../user-sync.options';
import { assertJsonBody } from './json-body';

export const API_TOKEN_ACTOR = 'api-token';

/** Who may use the admin API: `Authorization: Bearer <ADMIN_API_TOKEN>`, or an ALB user in ADMIN_GROUPS. */
@Injectable()
export class AdminAccess {
  private readonly apiToken: SecretDigest | null;
  private readonly adminGroups: Set<string>;
  private readonly adminGroupNames: string[];

  constructor(
    private readonly authenticator: AlbAuthenticator,
    @Inject(USER_SYNC_OPTIONS) options: UserSyncModuleOptions,
  ) {
    this.apiToken = options.adminApiToken ? new SecretDigest(options.adminApiToken) : null;
    this.adminGroupNames = options.adminGroups ?? DEFAULT_ADMIN_GROUPS;
    this.adminGroups = new Set(this.adminGroupNames.map(nameKey));
  }

  private albWay(): string {
    return `sign in through the ALB as a user in ${[...this.adminGroupNames].join(', ')} (in local mode: the emulator's Local Admin)`;
  }

  /** Puts the admin (or the API token's actor) on the request, or throws the contract's error. */
  async authenticate(context: ExecutionContext): Promise<void> {
    const request = context.switchToHttp().getRequest();
    assertJsonBody(request);
    const authorization = request.headers.authorization as string | undefined;
    if (authorization !== undefined) {
      if (!this.apiToken) {
        throw new DomainError(ErrorCode.TOKEN_INVALID, `No ADMIN_API_TOKEN is configured, so no bearer token is accepted: ${this.albWay()}`);
      }
      if (!this.apiToken.matchesBearer(authorization)) {
        throw new DomainError(ErrorCode.TOKEN_INVALID, 'Invalid admin API token');
      }
      request.user = { username: API_TOKEN_ACTOR, groups: [], token: null };
      const logged = requestContext(request);
      if (logged) logged.userId = API_TOKEN_ACTOR;
      return;
    }
    const principal = await this.authenticator.authenticate(context).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === ErrorCode.TOKEN_MISSING) {
        const bearer = this.apiToken ? 'send Authorization: Bearer <ADMIN_API_TOKEN>, or ' : '(no ADMIN_API_TOKEN is configured) ';
        throw new DomainError(ErrorCode.TOKEN_MISSING, `No credentials: ${bearer}${this.albWay()}`);
      }
      throw error;
    });
    if (!principal.groups.some((group) => this.adminGroups.has(nameKey(group)))) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'The admin API needs membership of an admin group');
    }
  }
}
