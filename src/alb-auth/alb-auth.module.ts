import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { resolveAlbAuthOptions } from './alb-auth-options.resolver';
import { AlbAuthGuard } from './alb-auth.guard';
import { AlbAuthenticator, AlbPassport } from './alb-authenticator.service';
import { ALB_AUTH_OPTIONS, ConfigurableAlbAuthModule } from './alb-auth.module-definition';
import { RESOLVED_ALB_AUTH_OPTIONS } from './alb-auth.options';
import { AlbStrategy } from './alb.strategy';
import { RequireGroupsGuard } from './require-groups.guard';
import { LogoutController } from './logout/logout.controller';
import { AccessTokenVerifier } from './verifier/access-token-verifier';
import { AlbKeyStore } from './verifier/alb-key-store';
import { AlbTokenVerifier } from './verifier/alb-token-verifier.service';

/**
 * ALB token verification for Nest: strategy `alb`, AlbAuthGuard, @Public, @RequireGroups,
 * @CurrentUser, GET /logout. `AlbAuthModule.forRoot(options)` or `.forRootAsync({ useFactory, inject, imports })`.
 */
@Module({
  imports: [PassportModule],
  controllers: [LogoutController],
  providers: [
    { provide: RESOLVED_ALB_AUTH_OPTIONS, useFactory: resolveAlbAuthOptions, inject: [ALB_AUTH_OPTIONS] },
    AlbKeyStore,
    AccessTokenVerifier,
    AlbTokenVerifier,
    AlbStrategy,
    AlbPassport,
    AlbAuthenticator,
    AlbAuthGuard,
    RequireGroupsGuard,
  ],
  exports: [RESOLVED_ALB_AUTH_OPTIONS, AlbKeyStore, AccessTokenVerifier, AlbTokenVerifier, AlbAuthenticator, AlbAuthGuard, RequireGroupsGuard],
})
export class AlbAuthModule extends ConfigurableAlbAuthModule {}
