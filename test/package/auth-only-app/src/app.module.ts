// src/app.module.ts (AlbAuth alone: no database; routes protected the @nestjs/passport way)
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AlbAuthModule, CurrentUser, RequireGroups } from '@alb-usersync/nestjs/alb-auth';
import type { AlbPrincipal } from '@alb-usersync/nestjs/alb-auth';

@Controller('hello')
@UseGuards(AuthGuard('alb'))
export class HelloController {
  @Get()
  hello(@CurrentUser() user: AlbPrincipal) {
    return { hello: user.username, sub: user.token.sub, groups: user.groups };
  }

  @Get('admins')
  @RequireGroups('admins') // without UserSync a principal has no groups: always 403
  admins() {
    return { ok: true };
  }
}

@Module({
  imports: [
    AlbAuthModule.forRootAsync({
      useFactory: () => ({
        arns: [process.env.ALB_ARN!],
        issuer: process.env.ALB_ISSUER!,
        clientIds: [process.env.ALB_CLIENT_ID!],
        keyEndpoint: process.env.ALB_KEY_ENDPOINT,
      }),
    }),
  ],
  controllers: [HelloController],
})
export class AppModule {}
