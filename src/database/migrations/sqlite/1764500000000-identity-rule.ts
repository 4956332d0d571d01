import { MigrationInterface, QueryRunner } from 'typeorm';
import { backfillIdentityColumns } from '../identity-backfill';

const USERS_COLUMNS = `"id", "directory_id", "username", "username_key", "display_name", "email", "active", "attributes", "external_id", "sync_fingerprint", "created_at", "updated_at", "last_login_at"`;

/**
 * The identity rule: primary keys unique by the hash of their exact bytes (up to 1,024
 * characters, never cut); usernames' look-alike skeletons. SQLite already compares names and keys byte for byte (BINARY).
 */
export class IdentityRuleSqlite1764500000000 implements MigrationInterface {
  name = 'IdentityRuleSqlite1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.rebuildUsers(queryRunner, 1024, true);
    await backfillIdentityColumns(queryRunner);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_directory_external_id" ON "users" ("directory_id", "external_id_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_users_directory_skeleton" ON "users" ("directory_id", "username_skeleton") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_users_directory_skeleton"`);
    await this.rebuildUsers(queryRunner, 255, false);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_directory_external_id" ON "users" ("directory_id", "external_id") `);
  }

  private async rebuildUsers(queryRunner: QueryRunner, externalIdLength: number, withHash: boolean): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_users_directory_external_id"`);
    await queryRunner.query(`DROP INDEX "UQ_users_directory_username"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_users" ("id" varchar PRIMARY KEY NOT NULL, "directory_id" varchar(36) NOT NULL, "username" varchar(255) NOT NULL, "username_key" varchar(255) NOT NULL, "display_name" varchar(255) NOT NULL DEFAULT (''), "email" varchar(320) NOT NULL DEFAULT (''), "active" boolean NOT NULL DEFAULT (1), "attributes" text NOT NULL, "external_id" varchar(${externalIdLength}), "sync_fingerprint" varchar(64), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "last_login_at" datetime${withHash ? ', "external_id_hash" varchar(64), "username_skeleton" varchar(64)' : ''})`,
    );
    await queryRunner.query(`INSERT INTO "temporary_users"(${USERS_COLUMNS}) SELECT ${USERS_COLUMNS} FROM "users"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`ALTER TABLE "temporary_users" RENAME TO "users"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_directory_username" ON "users" ("directory_id", "username_key") `);
  }
}
