import { ConfigurableModuleBuilder, DynamicModule, Provider, Type } from '@nestjs/common';
import type { RoutePrefix } from '../common/mounted-controller';
import { AttributeTransformation, CUSTOM_TRANSFORMATIONS } from './mapping/attribute-transformation.interface';
import { USER_SYNC_OPTIONS, UserSyncModuleOptions } from './user-sync.options';

export { USER_SYNC_OPTIONS };

/** What forRoot / forRootAsync take beside the options: they shape the module, so they cannot come from a factory. */
export interface UserSyncModuleExtras {
  /** Custom transformation classes (injectable); each `type` must be unique. */
  transformations?: Type<AttributeTransformation>[] | undefined;
  /** Modules whose providers the custom transformations inject. */
  imports?: DynamicModule['imports'] | undefined;
  /**
   * Where the module's routes are mounted, or false to leave them out: the admin API under
   * `adminApi` (default `api`: /api/user-sync/…, /api/alb-auth/settings), SCIM 2.0 at `scim`
   * (default `scim/v2`). Behind `app.setGlobalPrefix('api')`, `adminApi: ''` keeps /api/user-sync/….
   */
  routes?: { adminApi?: RoutePrefix; scim?: RoutePrefix };
}

/** forRoot / forRootAsync ({ useFactory, inject, imports } or useClass / useExisting), global. */
export const {
  ConfigurableModuleClass: ConfigurableUserSyncModule,
  OPTIONS_TYPE: USER_SYNC_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: USER_SYNC_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<UserSyncModuleOptions>({ optionsInjectionToken: USER_SYNC_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras<UserSyncModuleExtras>({ transformations: [], imports: [], routes: {} }, (definition, extras) => {
    const custom = extras.transformations ?? [];
    const providers: Provider[] = [
      ...custom,
      { provide: CUSTOM_TRANSFORMATIONS, useFactory: (...instances: unknown[]) => instances, inject: custom },
    ];
    return {
      ...definition,
      global: true,
      imports: [...(definition.imports ?? []), ...(extras.imports ?? [])],
      providers: [...(definition.providers ?? []), ...providers],
    };
  })
  .build();

export type UserSyncModuleForRootOptions = typeof USER_SYNC_OPTIONS_TYPE;
export type UserSyncModuleAsyncOptions = typeof USER_SYNC_ASYNC_OPTIONS_TYPE;
