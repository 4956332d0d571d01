import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminGuard } from '../admin/admin.guard';
import { AlbPrincipalResolver } from '../alb-auth/alb-principal';
import { ConfigSnapshotService } from './provisioning/config-snapshot.service';
import { ProvisioningService } from './provisioning/provisioning.service';
import { LogoutSettingsSource } from '../alb-auth/logout/logout-settings';
import { AlbSettingsController } from './settings/alb-settings.controller';
import { AlbSettingsService } from './settings/alb-settings.service';
import { ConfigChanges } from './settings/config-changes.service';
import { ALB_USERSYNC_ENTITIES } from '../database/entities';
import { TransactionRunner } from '../database/transaction-runner.service';
import { AuditController } from './audit/audit.controller';
import { AuditService } from './audit/audit.service';
import { ConnectorsController } from './connectors/connectors.controller';
import { ConnectorsService } from './connectors/connectors.service';
import { DirectoriesController } from './directories/directories.controller';
import { DirectoriesService } from './directories/directories.service';
import { GroupsService } from './directories/groups.service';
import { UsersService } from './directories/users.service';
import { MappingService } from './mapping/mapping.service';
import { TransformationRegistry } from './mapping/transformation-registry';
import { TransformationsController } from './mapping/transformations.controller';
import { ConfigurableUserSyncModule } from './user-sync.module-definition';

/**
 * The user store (directories, users, groups), JIT connectors, the mapping engine, the admin API
 * and the ALB settings. Needs a TypeORM connection whose entities include ALB_USERSYNC_ENTITIES.
 * `UserSyncModule.forRoot({ adminApiToken, transformations, imports })` or
 * `.forRootAsync({ useFactory, inject, imports, transformations })`.
 */
@Module({
  imports: [TypeOrmModule.forFeature(ALB_USERSYNC_ENTITIES)],
  controllers: [AlbSettingsController, DirectoriesController, ConnectorsController, TransformationsController, AuditController],
  providers: [
    TransactionRunner,
    TransformationRegistry,
    MappingService,
    AuditService,
    DirectoriesService,
    GroupsService,
    UsersService,
    ConnectorsService,
    AlbSettingsService,
    ConfigChanges,
    AdminGuard,
    ConfigSnapshotService,
    ProvisioningService,
    { provide: AlbPrincipalResolver, useExisting: ProvisioningService },
    { provide: LogoutSettingsSource, useExisting: AlbSettingsService },
  ],
  exports: [
    AlbPrincipalResolver,
    LogoutSettingsSource,
    ConfigChanges,
    ProvisioningService,
    ConfigSnapshotService,
    TransactionRunner,
    TransformationRegistry,
    MappingService,
    AuditService,
    DirectoriesService,
    UsersService,
    GroupsService,
    ConnectorsService,
    AlbSettingsService,
    AdminGuard,
  ],
})
export class UserSyncModule extends ConfigurableUserSyncModule {}
