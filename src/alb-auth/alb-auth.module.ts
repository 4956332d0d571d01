import { DynamicModule, Module } from '@nestjs/common';
import { mountedAt, routePrefixProblem } from '../common/mounted-controller';
import { PassportModule } from '@nestjs/passport';
import { resolveAlbAuthOptions } from './alb-auth-options.resolver';
import { AlbAuthGuard } from './alb-auth.guard';
import { AlbAuthenticator } from './alb-authenticator.service';
import { ALB_AUTH_OPTIONS, AlbAuthModuleAsyncOptions, AlbAuthModuleExtras, AlbAuthModuleForRootOptions, ConfigurableAlbAuthModule } from './alb-auth.module-definition';
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
  providers: [
    { provide: RESOLVED_ALB_AUTH_OPTIONS, useFactory: resolveAlbAuthOptions, inject: [ALB_AUTH_OPTIONS] },
    AlbKeyStore,
    AccessTokenVerifier,
    AlbTokenVerifier,
    AlbStrategy,
    AlbAuthenticator,
    AlbAuthGuard,
    RequireGroupsGuard,
  ],
  exports: [RESOLVED_ALB_AUTH_OPTIONS, AlbKeyStore, AccessTokenVerifier, AlbTokenVerifier, AlbAuthenticator, AlbAuthGuard, RequireGroupsGuard],
})
export class AlbAuthModule extends ConfigurableAlbAuthModule {
  static forRoot(options: AlbAuthModuleForRootOptions): DynamicModule {
    return withLogout(super.forRoot(options), options.routes);
  }

  static forRootAsync(options: AlbAuthModuleAsyncOptions): DynamicModule {
    return withLogout(super.forRootAsync(options), options.routes);
  }
}

function withLogout(module: DynamicModule, routes: AlbAuthModuleExtras['routes'] = {}): DynamicModule {
  const prefix = routes.logout ?? 'logout';
  const problem = routePrefixProblem('AlbAuthModule routes.logout', prefix);
  if (problem) throw new Error(problem);
  return prefix === false ? module : { ...module, controllers: [...(module.controllers ?? []), mountedAt(LogoutController, 'logout', prefix)] };
}
