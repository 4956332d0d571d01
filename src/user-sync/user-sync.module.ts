import { DynamicModule, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlbPrincipalResolver } from '../alb-auth/alb-principal';
import { LogoutSettingsSource } from '../alb-auth/logout/logout-settings';
import { TransactionRunner } from '../database/transaction-runner.service';
import { AuthenticationService } from './auth/authentication.service';
import { CredentialsGuard } from './auth/authenticated.decorator';
import { AuditController } from './admin-api/audit/audit.controller';
import { CleanupRulesController } from './admin-api/cleanup/cleanup-rules.controller';
import { CleanupRulesService } from './admin-api/cleanup/cleanup-rules.service';
import { CleanupScheduler } from './lifecycle/cleanup-scheduler.service';
import { CleanupService } from './lifecycle/cleanup.service';
import { CleanupStore } from './store/cleanup.store';
import { ScimClientsStore } from './store/scim-clients.store';
import { DashboardStore } from './store/dashboard.store';
import { DashboardController } from './admin-api/dashboard/dashboard.controller';
import { DashboardService } from './admin-api/dashboard/dashboard.service';
import { ScimClientsController } from './admin-api/scim/scim-clients.controller';
import { ScimController } from './scim/scim.controller';
import { ScimService } from './scim/scim.service';
import { ConnectorsController } from './admin-api/connectors/connectors.controller';
import { ConnectorsService } from './admin-api/connectors/connectors.service';
import { DirectoriesController } from './admin-api/directories/directories.controller';
import { DirectoriesService } from './admin-api/directories/directories.service';
import { GroupsService } from './admin-api/directories/groups.service';
import { UsersService } from './admin-api/directories/users.service';
import { AlbSettingsController } from './admin-api/settings/alb-settings.controller';
import { PresetsController } from './admin-api/presets.controller';
import { TransformationsController } from './admin-api/transformations.controller';
import { AdminSafeguard } from './config/admin-safeguard.service';
import { AlbSettingsService } from './config/alb-settings.service';
import { ConfigChanges } from './config/config-changes.service';
import { ConfigSnapshotService } from './config/config-snapshot.service';
import { DirectoryLogin } from './login/directory-login.service';
import { LoginFactsReader } from './login/login-facts.reader';
import { LoginPlanning } from './login/login-planning.service';
import { LoginResolver } from './login/login-resolver.service';
import { SignInActivity } from './login/sign-in-activity';
import { LoginTransaction } from './login/login-transaction';
import { LoginWriter } from './login/login-writer.service';
import { NextLoginForecast } from './login/next-login-forecast.service';
import { AdminLockout } from './admin-api/settings/admin-lockout.service';
import { MappingService } from './mapping/mapping.service';
import { TransformationRegistry } from './mapping/transformation-registry';
import { AuditStore } from './store/audit.store';
import { ConnectorsStore } from './store/connectors.store';
import { DirectoriesStore } from './store/directories.store';
import { ALB_USERSYNC_ENTITIES } from './store/entities';
import { GroupsStore } from './store/groups.store';
import { SettingsStore } from './store/settings.store';
import { SyncStateStore } from './store/sync-state.store';
import { UsersStore } from './store/users.store';
import { mountedAt, RoutePrefix, routePrefixProblem } from '../common/mounted-controller';
import { ConfigurableUserSyncModule, UserSyncModuleAsyncOptions, UserSyncModuleExtras, UserSyncModuleForRootOptions } from './user-sync.module-definition';

const STORE = [TransactionRunner, UsersStore, GroupsStore, DirectoriesStore, ConnectorsStore, SettingsStore, AuditStore, SyncStateStore, CleanupStore, ScimClientsStore, DashboardStore];
const CONFIG = [ConfigChanges, AlbSettingsService, ConfigSnapshotService, AdminSafeguard];
const MAPPING = [TransformationRegistry, MappingService];
const LOGIN = [LoginFactsReader, LoginPlanning, LoginWriter, DirectoryLogin, LoginTransaction, LoginResolver, NextLoginForecast, SignInActivity];
const LIFECYCLE = [CleanupService, CleanupScheduler];
const AUTH = [AuthenticationService, CredentialsGuard];
const SCIM = [ScimService];
const ADMIN_API = [DirectoriesService, GroupsService, UsersService, ConnectorsService, CleanupRulesService, AdminLockout, DashboardService];
const ADMIN_CONTROLLERS: Type[] = [AlbSettingsController, DirectoriesController, ConnectorsController, TransformationsController, PresetsController, AuditController, CleanupRulesController, ScimClientsController, DashboardController];
const DEFAULT_ROUTES = { adminApi: 'api', scim: 'scim/v2' } as const;

/** The module's controllers, each mounted where `routes` says (or left out). */
function withRoutes(module: DynamicModule, routes: UserSyncModuleExtras['routes'] = {}): DynamicModule {
  const mount = (name: keyof typeof DEFAULT_ROUTES, controllers: Type[]): Type[] => {
    const prefix: RoutePrefix = routes[name] ?? DEFAULT_ROUTES[name];
    const problem = routePrefixProblem(`UserSyncModule routes.${name}`, prefix);
    if (problem) throw new Error(problem);
    return prefix === false ? [] : controllers.map((controller) => mountedAt(controller, DEFAULT_ROUTES[name], prefix));
  };
  return { ...module, controllers: [...(module.controllers ?? []), ...mount('adminApi', ADMIN_CONTROLLERS), ...mount('scim', [ScimController])] };
}

/**
 * The user store (directories, users, groups), JIT connectors, the mapping engine, the admin API
 * and the ALB settings, in layers: store → config → mapping → login → admin API. Needs a TypeORM
 * connection whose entities include ALB_USERSYNC_ENTITIES.
 * `UserSyncModule.forRoot({ adminApiToken, transformations, imports })` or
 * `.forRootAsync({ useFactory, inject, imports, transformations })`.
 */
@Module({
  imports: [TypeOrmModule.forFeature(ALB_USERSYNC_ENTITIES)],
  providers: [
    ...STORE,
    ...CONFIG,
    ...MAPPING,
    ...LOGIN,
    ...LIFECYCLE,
    ...AUTH,
    ...SCIM,
    ...ADMIN_API,
    { provide: AlbPrincipalResolver, useExisting: LoginResolver },
    { provide: LogoutSettingsSource, useExisting: AlbSettingsService },
  ],
  exports: [...STORE, ...CONFIG, ...MAPPING, ...LOGIN, ...LIFECYCLE, ...AUTH, ...SCIM, ...ADMIN_API, AlbPrincipalResolver, LogoutSettingsSource],
})
export class UserSyncModule extends ConfigurableUserSyncModule {
  static forRoot(options: UserSyncModuleForRootOptions): DynamicModule {
    return withRoutes(super.forRoot(options), options.routes);
  }

  static forRootAsync(options: UserSyncModuleAsyncOptions): DynamicModule {
    return withRoutes(super.forRootAsync(options), options.routes);
  }
}
