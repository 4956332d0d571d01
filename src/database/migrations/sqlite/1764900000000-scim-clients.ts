import { MigrationInterface, QueryRunner } from 'typeorm';

/** SCIM 2.0 clients: one bearer token (stored hashed) per identity provider, bound to a directory. */
export class ScimClientsSqlite1764900000000 implements MigrationInterface {
  name = 'ScimClientsSqlite1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "scim_clients" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar(255) NOT NULL, "directory_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "delete_action" varchar(16) NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_scim_clients_token_hash" ON "scim_clients" ("token_hash") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_scim_clients_token_hash"`);
    await queryRunner.query(`DROP TABLE "scim_clients"`);
  }
}
