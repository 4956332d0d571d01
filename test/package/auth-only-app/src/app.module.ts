// src/app.module.ts (AlbAuth alone: no database)
import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AlbAuthGuard, AlbAuthModule, AlbPrincipal, CurrentUser, RequireGroups } from '@alb-usersync/nestjs/alb-auth';

@Controller('hello')
export class HelloController {
  @Get()
  hello(@CurrentUser() user: AlbPrincipal) {
    return { hello: user.username, sub: user.token.sub };
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
  providers: [{ provide: APP_GUARD, useExisting: AlbAuthGuard }],
})
export class AppModule {}
