import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { RoutePrefix } from '../common/mounted-controller';
import { AlbAuthModuleOptions } from './alb-auth.options';

/** What forRoot / forRootAsync take beside the options. */
export interface AlbAuthModuleExtras {
  /** Global (the default): its guards and decorators work in every module without importing it. */
  isGlobal?: boolean | undefined;
  /** Where GET /logout is mounted (default `logout`), or false to leave it out. */
  routes?: { logout?: RoutePrefix } | undefined;
}

/** forRoot / forRootAsync ({ useFactory, inject, imports } or useClass / useExisting), global by default. */
export const {
  ConfigurableModuleClass: ConfigurableAlbAuthModule,
  MODULE_OPTIONS_TOKEN: ALB_AUTH_OPTIONS,
  OPTIONS_TYPE: ALB_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: ALB_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AlbAuthModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<AlbAuthModuleExtras>({ isGlobal: true, routes: {} }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

export type AlbAuthModuleAsyncOptions = typeof ALB_AUTH_ASYNC_OPTIONS_TYPE;
export type AlbAuthModuleForRootOptions = typeof ALB_AUTH_OPTIONS_TYPE;
