import { MigrationInterface, QueryRunner } from 'typeorm';

/** The dashboard: who signed in per hour, and audit events counted by type over time. */
export class DashboardSqlite1765200000000 implements MigrationInterface {
  name = 'DashboardSqlite1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "user_activity" ("hour" datetime NOT NULL, "user_id" varchar(36) NOT NULL, PRIMARY KEY ("hour", "user_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_type_created" ON "audit_events" ("type", "created_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_audit_events_type_created"`);
    await queryRunner.query(`DROP TABLE "user_activity"`);
  }
}
