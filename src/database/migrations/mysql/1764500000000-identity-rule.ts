import { MigrationInterface, QueryRunner } from 'typeorm';
import { backfillIdentityColumns } from '../identity-backfill';

/**
 * The identity rule on MySQL/MariaDB: keys compare byte for byte (utf8mb4_bin), as on SQLite.
 * Under the tables' utf8mb4_unicode_ci, `abc` equalled `ABC`, `ábc`, `ａｂｃ` and `abc ` (an account
 * takeover). Primary keys are unique by the SHA-256 of their exact bytes, since even binary
 * collations ignore trailing spaces; they hold up to 1,024 characters and are never cut.
 * Binary comparison only tells apart what the old collation merged: no existing row conflicts.
 */
export class IdentityRuleMysql1764500000000 implements MigrationInterface {
  name = 'IdentityRuleMysql1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `UQ_users_directory_external_id` ON `users`');
    await queryRunner.query(
      'ALTER TABLE `users` MODIFY `external_id` varchar(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL, ' +
        'MODIFY `username_key` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, ' +
        'ADD `external_id_hash` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NULL, ' +
        'ADD `username_skeleton` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NULL',
    );
    await backfillIdentityColumns(queryRunner);
    await queryRunner.query('CREATE UNIQUE INDEX `UQ_users_directory_external_id` ON `users` (`directory_id`, `external_id_hash`)');
    await queryRunner.query('CREATE INDEX `IDX_users_directory_skeleton` ON `users` (`directory_id`, `username_skeleton`)');
    for (const [table, column] of BINARY_KEYS) {
      await queryRunner.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin ${column === 'username' ? 'NULL' : 'NOT NULL'}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of BINARY_KEYS) {
      await queryRunner.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ${column === 'username' ? 'NULL' : 'NOT NULL'}`);
    }
    await queryRunner.query('DROP INDEX `UQ_users_directory_external_id` ON `users`');
    await queryRunner.query('DROP INDEX `IDX_users_directory_skeleton` ON `users`');
    await queryRunner.query(
      'ALTER TABLE `users` DROP COLUMN `external_id_hash`, DROP COLUMN `username_skeleton`, ' +
        'MODIFY `username_key` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL, ' +
        'MODIFY `external_id` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL',
    );
    await queryRunner.query('CREATE UNIQUE INDEX `UQ_users_directory_external_id` ON `users` (`directory_id`, `external_id`)');
  }
}

/** Name keys compared exactly; the audit's username filter too, so it answers alike on both databases. */
const BINARY_KEYS: Array<[string, string]> = [
  ['groups', 'name_key'],
  ['directories', 'name_key'],
  ['connectors', 'name_key'],
  ['audit_events', 'username'],
];
