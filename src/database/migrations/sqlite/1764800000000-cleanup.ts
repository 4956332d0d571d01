import { MigrationInterface, QueryRunner } from 'typeorm';

/** Inactive-user cleanup: rules per directory, and their runs (history, and the lease of a scheduled slot). */
export class CleanupSqlite1764800000000 implements MigrationInterface {
  name = 'CleanupSqlite1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "cleanup_rules" ("id" varchar PRIMARY KEY NOT NULL, "directory_id" varchar(36) NOT NULL, "name" varchar(255) NOT NULL, "enabled" boolean NOT NULL DEFAULT (1), "inactive_days" integer NOT NULL, "only_groups" text NOT NULL, "except_groups" text NOT NULL, "max_per_run" integer NOT NULL, "action" varchar(16) NOT NULL, "schedule" varchar(128), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "IDX_cleanup_rules_directory" ON "cleanup_rules" ("directory_id") `);
    await queryRunner.query(`CREATE TABLE "cleanup_runs" ("id" varchar PRIMARY KEY NOT NULL, "rule_id" varchar(36) NOT NULL, "slot" varchar(64) NOT NULL, "trigger" varchar(16) NOT NULL, "started_at" datetime NOT NULL, "finished_at" datetime, "affected" integer NOT NULL DEFAULT (0), "error" varchar(1024))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_cleanup_runs_rule_slot" ON "cleanup_runs" ("rule_id", "slot") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_cleanup_runs_rule_slot"`);
    await queryRunner.query(`DROP TABLE "cleanup_runs"`);
    await queryRunner.query(`DROP INDEX "IDX_cleanup_rules_directory"`);
    await queryRunner.query(`DROP TABLE "cleanup_rules"`);
  }
}
