import { Controller, Get, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../decorators/public.decorator';
import { AlbSettingsService } from '../settings/alb-settings.service';

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
  constructor(private readonly settings: AlbSettingsService) {}

  @Get()
  @ApiFoundResponse({ description: 'to logout.redirectUrl (e.g. the IdP logout endpoint)' })
  @ApiOkResponse({ description: 'signed out, when no redirectUrl is set' })
  async logout(@Res() response: AdapterResponse): Promise<void> {
    const { logout } = await this.settings.get();
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
