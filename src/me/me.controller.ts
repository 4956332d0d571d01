import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AlbPrincipal } from '../alb-auth/alb-principal';
import { CurrentUser } from '../alb-auth/decorators/current-user.decorator';
import { UserSyncPrincipal } from '../user-sync/login/principal';

@ApiTags('me')
@ApiSecurity('alb')
@Controller('api/me')
export class MeController {
  @Get('claims')
  @ApiOkResponse({ description: 'The signed-in user\'s own verified claims (x-amzn-oidc-data) and access-token claims, e.g. to preview a mapping with them' })
  claims(@CurrentUser() principal: AlbPrincipal) {
    const access = principal.token.access;
    return { claims: principal.token.claims, accessClaims: access && 'claims' in access ? access.claims : null };
  }

  /**
   * The answer of each login outcome, serialized once: a remembered outcome hands every request
   * the same `user` object, so its body is built and serialized on its first request only.
   */
  private readonly bodies = new WeakMap<object, string>();

  @Get()
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOkResponse({ description: 'The signed-in user' })
  @ApiUnauthorizedResponse({ description: 'TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED or SIGNER_NOT_TRUSTED' })
  me(@CurrentUser() principal: AlbPrincipal): string {
    if (principal.user) {
      const { user, directory } = principal as UserSyncPrincipal;
      let body = this.bodies.get(user);
      if (body === undefined) {
        body = JSON.stringify({ ...user, groups: principal.groups, directory });
        this.bodies.set(user, body);
      }
      return body;
    }
    const claims = principal.token.claims;
    return JSON.stringify({
      username: principal.username,
      displayName: typeof claims.name === 'string' ? claims.name : null,
      email: typeof claims.email === 'string' ? claims.email : null,
      active: true,
      groups: principal.groups,
      attributes: {},
      directory: null,
    });
  }
}
