// src/app.module.ts
import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  ALB_USERSYNC_ENTITIES,
  AlbAuthGuard,
  AlbAuthModule,
  CurrentUser,
  Public,
  RequireGroups,
  SQLITE_MIGRATIONS,
  UserSyncModule,
} from '@alb-usersync/nestjs';
import type { UserSyncPrincipal } from '@alb-usersync/nestjs';
import { DepartmentTransformation } from './department.transformation';
import { HrModule } from './hr.module';

@Controller('reports')
export class ReportsController {
  @Get()
  @RequireGroups('finance')
  list(@CurrentUser() user: UserSyncPrincipal) {
    return { username: user.username, groups: user.groups, department: user.user.attributes.department };
  }

  @Get('status')
  @Public()
  status() {
    return { ok: true };
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      useFactory: () => ({
        type: 'better-sqlite3',
        database: process.env.DATABASE_FILE ?? 'app.sqlite',
        entities: [...ALB_USERSYNC_ENTITIES], // and your own entities
        migrations: [...SQLITE_MIGRATIONS], // MYSQL_MIGRATIONS on MySQL or MariaDB
        migrationsRun: true,
      }),
    }),
    AlbAuthModule.forRootAsync({
      useFactory: () => ({
        arns: [process.env.ALB_ARN!], // your load balancers
        issuer: process.env.ALB_ISSUER!, // your IdP, as the ALB's OIDC settings name it
        clientIds: [process.env.ALB_CLIENT_ID!],
        keyEndpoint: process.env.ALB_KEY_ENDPOINT, // unset: the ALB's, from the ARN's region
      }),
    }),
    UserSyncModule.forRootAsync({
      imports: [HrModule], // what your transformations inject
      useFactory: () => ({ adminApiToken: process.env.ADMIN_API_TOKEN }),
      transformations: [DepartmentTransformation],
      // Behind main.ts's setGlobalPrefix('api'): the admin API at /api/user-sync/…; no SCIM here.
      routes: { adminApi: '', scim: false },
    }),
  ],
  controllers: [ReportsController],
  providers: [{ provide: APP_GUARD, useExisting: AlbAuthGuard }],
})
export class AppModule {}
