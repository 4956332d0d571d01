import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaMysql1764300000000 implements MigrationInterface {
  name = 'InitialSchemaMysql1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`alb_settings\` (
      \`id\` int NOT NULL,
      \`username_claim\` varchar(255) NOT NULL DEFAULT 'email',
      \`user_sync_enabled\` tinyint NOT NULL DEFAULT 0,
      \`user_sync_connector_id\` varchar(36) NULL,
      \`access_groups\` text NOT NULL,
      \`logout_delete_session_cookie\` tinyint NOT NULL DEFAULT 1,
      \`logout_redirect_url\` varchar(2048) NULL,
      \`version\` int NOT NULL,
      \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
      PRIMARY KEY (\`id\`)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `alb_settings`');
  }
}
