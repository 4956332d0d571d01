import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AlbAuthenticator } from '../../alb-auth/alb-authenticator.service';
import type { AlbPrincipal } from '../../alb-auth/alb-principal';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { requestContext } from '../../common/http/request-context';
import { SecretDigest } from '../../common/security/secret-digest';
import { nameKey } from '../identity/identity-rules';
import type { ScimClientEntity } from '../store/scim-client.entity';
import { ScimClientsStore } from '../store/scim-clients.store';
import { adminGroupsOf, USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../user-sync.options';
import { assertJsonBody } from './json-body';

/** The credentials a UserSync route takes (its @Authenticated metadata). */
export type Credentials = 'admin' | 'scim';

export const API_TOKEN_ACTOR = 'api-token';

type AuthRequest = {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  query?: unknown;
  user?: unknown;
  scimClient?: ScimClientEntity;
};

/**
 * Who makes a request to a UserSync route, by the credentials the route takes: the admin API an
 * `Authorization: Bearer <ADMIN_API_TOKEN>` or an ALB user in ADMIN_GROUPS (the ALB token through
 * AlbAuthenticator, as every ALB route), SCIM a SCIM client's bearer token. Every UserSync guard
 * delegates here; it puts who it found on the request (`user`, or `scimClient`) and in the request
 * log, or throws the contract's error.
 */
@Injectable()
export class AuthenticationService {
  private readonly apiToken: SecretDigest | null;
  private readonly adminGroups: Set<string>;
  private readonly adminGroupNames: string[];

  constructor(
    private readonly alb: AlbAuthenticator,
    private readonly scimClients: ScimClientsStore,
    @Inject(USER_SYNC_OPTIONS) options: UserSyncModuleOptions,
  ) {
    this.apiToken = options.adminApiToken ? new SecretDigest(options.adminApiToken) : null;
    this.adminGroupNames = adminGroupsOf(options);
    this.adminGroups = new Set(this.adminGroupNames.map(nameKey));
  }

  async authenticate(request: AuthRequest, credentials: Credentials): Promise<void> {
    const actor = credentials === 'scim' ? await this.scimClient(request) : await this.admin(request);
    const logged = requestContext(request);
    if (logged && actor) logged.userId = actor;
  }

  /** An admin: the API token's actor, or an ALB principal in an admin group (the ALB authenticator notes its user id). */
  private async admin(request: AuthRequest): Promise<string | null> {
    assertJsonBody(request);
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      if (!this.apiToken) {
        throw new DomainError(ErrorCode.TOKEN_INVALID, `No ADMIN_API_TOKEN is configured, so no bearer token is accepted: ${this.albWay()}`);
      }
      if (typeof authorization !== 'string' || !this.apiToken.matchesBearer(authorization)) {
        throw new DomainError(ErrorCode.TOKEN_INVALID, 'Invalid admin API token');
      }
      request.user = { username: API_TOKEN_ACTOR, groups: [], token: null };
      return API_TOKEN_ACTOR;
    }
    let principal: AlbPrincipal;
    try {
      principal = await this.alb.authenticate(request);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.TOKEN_MISSING) {
        const bearer = this.apiToken ? 'send Authorization: Bearer <ADMIN_API_TOKEN>, or ' : '(no ADMIN_API_TOKEN is configured) ';
        throw new DomainError(ErrorCode.TOKEN_MISSING, `No credentials: ${bearer}${this.albWay()}`);
      }
      throw error;
    }
    if (!principal.groups.some((group) => this.adminGroups.has(nameKey(group)))) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'The admin API needs membership of an admin group');
    }
    return null;
  }

  /**
   * `Authorization: Bearer <token>` of a SCIM client, the scheme in any case (RFC 6750, RFC 9110 §11.1),
   * looked up by its SHA-256 (tokens carry 256 random bits); a client whose directory was deleted is gone.
   */
  private async scimClient(request: AuthRequest): Promise<string> {
    const match = /^Bearer +([A-Za-z0-9_-]{20,200})$/i.exec(String(request.headers.authorization ?? ''));
    const client = match ? await this.scimClients.byTokenHash(createHash('sha256').update(match[1]).digest('hex')) : null;
    if (!client) throw new DomainError(ErrorCode.TOKEN_INVALID, 'A SCIM client bearer token is required');
    request.scimClient = client;
    return `scim:${client.id}`;
  }

  private albWay(): string {
    return `sign in through the ALB as a user in ${this.adminGroupNames.join(', ')} (in local mode: the emulator's Local Admin)`;
  }
}
