import { MigrationInterface, QueryRunner } from 'typeorm';

/** When SCIM deleted a user it only deactivated (deleteAction deactivate): such a user answers 404 to SCIM (RFC 7644 §3.6). */
export class ScimDeletedMysql1765000000000 implements MigrationInterface {
  name = 'ScimDeletedMysql1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `users` ADD `scim_deleted_at` datetime NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `users` DROP COLUMN `scim_deleted_at`');
  }
}
