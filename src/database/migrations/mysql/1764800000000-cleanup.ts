import { MigrationInterface, QueryRunner } from 'typeorm';

/** Inactive-user cleanup: rules per directory, and their runs (history, and the lease of a scheduled slot). */
export class CleanupMysql1764800000000 implements MigrationInterface {
  name = 'CleanupMysql1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`cleanup_rules\` (\`id\` varchar(36) NOT NULL, \`directory_id\` varchar(36) NOT NULL, \`name\` varchar(255) NOT NULL, \`enabled\` tinyint NOT NULL DEFAULT 1, \`inactive_days\` int NOT NULL, \`only_groups\` text NOT NULL, \`except_groups\` text NOT NULL, \`max_per_run\` int NOT NULL, \`action\` varchar(16) NOT NULL, \`schedule\` varchar(128) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`IDX_cleanup_rules_directory\` (\`directory_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE \`cleanup_runs\` (\`id\` varchar(36) NOT NULL, \`rule_id\` varchar(36) NOT NULL, \`slot\` varchar(64) NOT NULL, \`trigger\` varchar(16) NOT NULL, \`started_at\` datetime NOT NULL, \`finished_at\` datetime NULL, \`affected\` int NOT NULL DEFAULT '0', \`error\` varchar(1024) NULL, UNIQUE INDEX \`UQ_cleanup_runs_rule_slot\` (\`rule_id\`, \`slot\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `cleanup_runs`');
    await queryRunner.query('DROP TABLE `cleanup_rules`');
  }
}
