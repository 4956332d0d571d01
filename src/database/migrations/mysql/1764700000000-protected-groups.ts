import { MigrationInterface, QueryRunner } from 'typeorm';

/** alb_settings.protected_groups: groups no connector grants from claims (NULL: the ADMIN_GROUPS). */
export class ProtectedGroupsMysql1764700000000 implements MigrationInterface {
  name = 'ProtectedGroupsMysql1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `alb_settings` ADD `protected_groups` text NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `alb_settings` DROP COLUMN `protected_groups`');
  }
}
