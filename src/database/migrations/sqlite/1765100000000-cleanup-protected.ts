import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cleanup rules spare members of protected groups unless a rule includes them explicitly. */
export class CleanupProtectedSqlite1765100000000 implements MigrationInterface {
  name = 'CleanupProtectedSqlite1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cleanup_rules" ADD COLUMN "include_protected" boolean NOT NULL DEFAULT (0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cleanup_rules" DROP COLUMN "include_protected"`);
  }
}
