import { MigrationInterface, QueryRunner } from 'typeorm';

export class UserSyncStoreSqlite1764400000000 implements MigrationInterface {
    name = 'UserSyncStoreSqlite1764400000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "created_at" datetime(3) NOT NULL, "type" varchar(32) NOT NULL, "actor" varchar(255) NOT NULL, "connector_id" varchar(36), "directory_id" varchar(36), "username" varchar(255), "details" text NOT NULL)`);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_type" ON "audit_events" ("type") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_connector" ON "audit_events" ("connector_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_username" ON "audit_events" ("username") `);
        await queryRunner.query(`CREATE TABLE "sync_state" ("id" integer PRIMARY KEY NOT NULL, "generation" integer NOT NULL DEFAULT (0))`);
        await queryRunner.query(`INSERT INTO "sync_state" ("id", "generation") VALUES (1, 0)`);
        await queryRunner.query(`CREATE TABLE "connectors" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar(255) NOT NULL, "name_key" varchar(255) NOT NULL, "type" varchar(32) NOT NULL DEFAULT ('jit'), "enabled" boolean NOT NULL DEFAULT (1), "directory_id" varchar(36) NOT NULL, "primary_key" varchar(255) NOT NULL DEFAULT ('sub'), "mappings" text NOT NULL, "group_options" text NOT NULL, "user_options" text NOT NULL, "version" integer NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_connectors_name_key" ON "connectors" ("name_key") `);
        await queryRunner.query(`CREATE INDEX "IDX_connectors_directory" ON "connectors" ("directory_id") `);
        await queryRunner.query(`CREATE TABLE "directories" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar(255) NOT NULL, "name_key" varchar(255) NOT NULL, "description" varchar(1024) NOT NULL DEFAULT (''), "active" boolean NOT NULL DEFAULT (1), "position" integer NOT NULL DEFAULT (0), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_directories_name_key" ON "directories" ("name_key") `);
        await queryRunner.query(`CREATE INDEX "IDX_directories_position" ON "directories" ("position") `);
        await queryRunner.query(`CREATE TABLE "groups" ("id" varchar PRIMARY KEY NOT NULL, "directory_id" varchar(36) NOT NULL, "name" varchar(255) NOT NULL, "name_key" varchar(255) NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_groups_directory_name" ON "groups" ("directory_id", "name_key") `);
        await queryRunner.query(`CREATE TABLE "memberships" ("user_id" varchar(36) NOT NULL, "group_id" varchar(36) NOT NULL, "origin" varchar(36) NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), PRIMARY KEY ("user_id", "group_id", "origin"))`);
        await queryRunner.query(`CREATE INDEX "IDX_memberships_group" ON "memberships" ("group_id") `);
        await queryRunner.query(`CREATE TABLE "users" ("id" varchar PRIMARY KEY NOT NULL, "directory_id" varchar(36) NOT NULL, "username" varchar(255) NOT NULL, "username_key" varchar(255) NOT NULL, "display_name" varchar(255) NOT NULL DEFAULT (''), "email" varchar(320) NOT NULL DEFAULT (''), "active" boolean NOT NULL DEFAULT (1), "attributes" text NOT NULL, "external_id" varchar(255), "sync_fingerprint" varchar(64), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "last_login_at" datetime)`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_directory_external_id" ON "users" ("directory_id", "external_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_directory_username" ON "users" ("directory_id", "username_key") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_audit_events_username"`);
        await queryRunner.query(`DROP INDEX "IDX_audit_events_connector"`);
        await queryRunner.query(`DROP INDEX "IDX_audit_events_type"`);
        await queryRunner.query(`DROP TABLE "audit_events"`);
        await queryRunner.query(`DROP INDEX "UQ_users_directory_username"`);
        await queryRunner.query(`DROP INDEX "UQ_users_directory_external_id"`);
        await queryRunner.query(`DROP TABLE "users"`);
        await queryRunner.query(`DROP INDEX "IDX_memberships_group"`);
        await queryRunner.query(`DROP TABLE "memberships"`);
        await queryRunner.query(`DROP INDEX "UQ_groups_directory_name"`);
        await queryRunner.query(`DROP TABLE "groups"`);
        await queryRunner.query(`DROP INDEX "IDX_directories_position"`);
        await queryRunner.query(`DROP INDEX "UQ_directories_name_key"`);
        await queryRunner.query(`DROP TABLE "directories"`);
        await queryRunner.query(`DROP INDEX "IDX_connectors_directory"`);
        await queryRunner.query(`DROP INDEX "UQ_connectors_name_key"`);
        await queryRunner.query(`DROP TABLE "connectors"`);
        await queryRunner.query(`DROP TABLE "sync_state"`);
    }

}
