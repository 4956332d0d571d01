import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiTags } from '../../common/openapi';
import { Public } from '../decorators/public.decorator';
import { RESOLVED_ALB_AUTH_OPTIONS, ResolvedAlbAuthOptions } from '../alb-auth.options';
import { LogoutSettingsSource } from './logout-settings';

export const ALB_SESSION_COOKIES = ['AWSELBAuthSessionCookie', ...[0, 1, 2, 3].map((index) => `AWSELBAuthSessionCookie-${index}`)];

interface AdapterResponse {
  status(code: number): unknown;
  header(name: string, value: string | string[]): unknown;
  send(body?: unknown): unknown;
}

@ApiTags('operations')
@Public()
@Controller('logout')
export class LogoutController {
  constructor(
    @Inject(RESOLVED_ALB_AUTH_OPTIONS) private readonly options: ResolvedAlbAuthOptions,
    @Optional() private readonly source?: LogoutSettingsSource,
  ) {}

  @Get()
  @ApiFoundResponse({ description: 'to logout.redirectUrl (e.g. the IdP logout endpoint)' })
  @ApiOkResponse({ description: 'signed out, when no redirectUrl is set' })
  async logout(@Res() response: AdapterResponse): Promise<void> {
    const logout = this.source ? await this.source.logoutSettings() : this.options.logout;
    if (logout.deleteSessionCookie) {
      response.header(
        'set-cookie',
        ALB_SESSION_COOKIES.map((name) => `${name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure; HttpOnly`),
      );
    }
    if (logout.redirectUrl) {
      response.status(302);
      response.header('location', logout.redirectUrl);
      response.send();
      return;
    }
    response.status(200);
    response.header('content-type', 'application/json');
    response.send(JSON.stringify({ loggedOut: true }));
  }
}
