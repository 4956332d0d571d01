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

  // MySQL commits each DDL statement: every step checks what is already done, so that a run cut
  // short (a crash, a deploy) can simply run again.
  async up(queryRunner: QueryRunner): Promise<void> {
    if ((await indexColumns(queryRunner, 'UQ_users_directory_external_id')).includes('external_id')) {
      await queryRunner.query('DROP INDEX `UQ_users_directory_external_id` ON `users`');
    }
    await queryRunner.query(
      'ALTER TABLE `users` MODIFY `external_id` varchar(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL, ' +
        'MODIFY `username_key` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL',
    );
    for (const column of ['external_id_hash', 'username_skeleton']) {
      if (!(await hasColumn(queryRunner, column))) {
        await queryRunner.query(`ALTER TABLE \`users\` ADD \`${column}\` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NULL`);
      }
    }
    await backfillIdentityColumns(queryRunner);
    if ((await indexColumns(queryRunner, 'UQ_users_directory_external_id')).length === 0) {
      await queryRunner.query('CREATE UNIQUE INDEX `UQ_users_directory_external_id` ON `users` (`directory_id`, `external_id_hash`)');
    }
    if ((await indexColumns(queryRunner, 'IDX_users_directory_skeleton')).length === 0) {
      await queryRunner.query('CREATE INDEX `IDX_users_directory_skeleton` ON `users` (`directory_id`, `username_skeleton`)');
    }
    for (const [table, column] of BINARY_KEYS) {
      await queryRunner.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin ${column === 'username' ? 'NULL' : 'NOT NULL'}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Refused before any change when the old schema cannot hold today's data.
    const problems: string[] = [];
    const [long] = await queryRunner.query('SELECT COUNT(*) AS n FROM `users` WHERE CHAR_LENGTH(`external_id`) > 255');
    if (Number(long.n) > 0) problems.push(`${long.n} primary keys longer than 255 characters`);
    const merged: Array<[string, string, string[]]> = [
      ['users', 'external_id', ['directory_id']],
      ['users', 'username_key', ['directory_id']],
      ['groups', 'name_key', ['directory_id']],
      ['directories', 'name_key', []],
      ['connectors', 'name_key', []],
    ];
    for (const [table, column, scope] of merged) {
      const by = [...scope.map((name) => `\`${name}\``), `\`${column}\` COLLATE utf8mb4_unicode_ci`].join(', ');
      const [row] = await queryRunner.query(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM \`${table}\` WHERE \`${column}\` IS NOT NULL GROUP BY ${by} HAVING COUNT(*) > 1) AS merged`);
      if (Number(row.n) > 0) problems.push(`${row.n} ${table}.${column} values that the old collation would merge`);
    }
    if (problems.length) throw new Error(`Cannot revert the identity rule: ${problems.join('; ')}`);
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

async function hasColumn(queryRunner: QueryRunner, column: string): Promise<boolean> {
  const rows = await queryRunner.query(
    'SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?',
    ['users', column],
  );
  return rows.length > 0;
}

async function indexColumns(queryRunner: QueryRunner, index: string): Promise<string[]> {
  const rows: Array<{ column: string }> = await queryRunner.query(
    'SELECT COLUMN_NAME AS `column` FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ? ORDER BY SEQ_IN_INDEX',
    ['users', index],
  );
  return rows.map((row) => row.column);
}

/** Name keys compared exactly; the audit's username filter too, so it answers alike on both databases. */
const BINARY_KEYS: Array<[string, string]> = [
  ['groups', 'name_key'],
  ['directories', 'name_key'],
  ['connectors', 'name_key'],
  ['audit_events', 'username'],
];
