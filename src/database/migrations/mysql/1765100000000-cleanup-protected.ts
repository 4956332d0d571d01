import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cleanup rules spare members of protected groups unless a rule includes them explicitly. */
export class CleanupProtectedMysql1765100000000 implements MigrationInterface {
  name = 'CleanupProtectedMysql1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `cleanup_rules` ADD `include_protected` tinyint NOT NULL DEFAULT 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `cleanup_rules` DROP COLUMN `include_protected`');
  }
}
