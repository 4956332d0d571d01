import { ConfigurableModuleBuilder } from '@nestjs/common';
import { AlbAuthModuleOptions } from './alb-auth.options';

/** forRoot / forRootAsync ({ useFactory, inject, imports } or useClass / useExisting), global by default. */
export const {
  ConfigurableModuleClass: ConfigurableAlbAuthModule,
  MODULE_OPTIONS_TOKEN: ALB_AUTH_OPTIONS,
  OPTIONS_TYPE: ALB_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: ALB_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AlbAuthModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

export type AlbAuthModuleAsyncOptions = typeof ALB_AUTH_ASYNC_OPTIONS_TYPE;
