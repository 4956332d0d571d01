import { MigrationInterface, QueryRunner } from 'typeorm';

/** SCIM 2.0 clients: one bearer token (stored hashed) per identity provider, bound to a directory. */
export class ScimClientsMysql1764900000000 implements MigrationInterface {
  name = 'ScimClientsMysql1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`scim_clients\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(255) NOT NULL, \`directory_id\` varchar(36) NOT NULL, \`token_hash\` varchar(64) NOT NULL, \`delete_action\` varchar(16) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`UQ_scim_clients_token_hash\` (\`token_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `scim_clients`');
  }
}
