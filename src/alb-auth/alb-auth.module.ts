import { DynamicModule, Module, Provider } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { resolveAlbAuthOptions } from './alb-auth-options.resolver';
import { AlbAuthGuard } from './alb-auth.guard';
import {
  ALB_AUTH_OPTIONS,
  AlbAuthModuleAsyncOptions,
  AlbAuthModuleOptions,
  RESOLVED_ALB_AUTH_OPTIONS,
} from './alb-auth.options';
import { AlbStrategy } from './alb.strategy';
import { LogoutController } from './logout/logout.controller';
import { AlbKeyStore } from './verifier/alb-key-store';
import { AlbTokenVerifier } from './verifier/alb-token-verifier.service';

/** ALB token verification for Nest: strategy `alb`, AlbAuthGuard, @Public, @RequireGroups, @CurrentUser, GET /logout. */
@Module({})
export class AlbAuthModule {
  static forRoot(options: AlbAuthModuleOptions): DynamicModule {
    return AlbAuthModule.build([{ provide: ALB_AUTH_OPTIONS, useValue: options }], []);
  }

  static forRootAsync(options: AlbAuthModuleAsyncOptions): DynamicModule {
    return AlbAuthModule.build(
      [{ provide: ALB_AUTH_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] }],
      options.imports ?? [],
    );
  }

  private static build(optionProviders: Provider[], imports: DynamicModule['imports']): DynamicModule {
    return {
      module: AlbAuthModule,
      global: true,
      imports: [PassportModule, ...(imports ?? [])],
      controllers: [LogoutController],
      providers: [
        ...optionProviders,
        { provide: RESOLVED_ALB_AUTH_OPTIONS, useFactory: resolveAlbAuthOptions, inject: [ALB_AUTH_OPTIONS] },
        AlbKeyStore,
        AlbTokenVerifier,
        AlbStrategy,
        AlbAuthGuard,
      ],
      exports: [RESOLVED_ALB_AUTH_OPTIONS, AlbKeyStore, AlbTokenVerifier, AlbAuthGuard],
    };
  }
}
