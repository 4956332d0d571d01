import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AlbPrincipal } from '../alb-auth/alb-principal';
import { CurrentUser } from '../alb-auth/decorators/current-user.decorator';
import { ME_CONTENT_TYPE, MeBodies } from './me-bodies';
import { MeClaimsView, MeView } from './me.view';

@ApiTags('me')
@ApiSecurity('alb')
@Controller('api/me')
export class MeController {
  constructor(private readonly bodies: MeBodies) {}

  @Get('claims')
  @ApiOkResponse({ type: MeClaimsView, description: 'The signed-in user\'s own verified claims (x-amzn-oidc-data) and access-token claims, e.g. to preview a mapping with them' })
  claims(@CurrentUser() principal: AlbPrincipal): MeClaimsView {
    const access = principal.token.access;
    return { claims: principal.token.claims, accessClaims: access && 'claims' in access ? access.claims : null };
  }

  @Get()
  @Header('content-type', ME_CONTENT_TYPE)
  @ApiOkResponse({ type: MeView, description: 'The signed-in user' })
  @ApiUnauthorizedResponse({ description: 'TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED or SIGNER_NOT_TRUSTED' })
  me(@CurrentUser() principal: AlbPrincipal): string {
    return this.bodies.of(principal);
  }
}
