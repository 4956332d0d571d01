import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaSqlite1764300000000 implements MigrationInterface {
  name = 'InitialSchemaSqlite1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "alb_settings" (
      "id" integer PRIMARY KEY NOT NULL,
      "username_claim" varchar(255) NOT NULL DEFAULT ('email'),
      "user_sync_enabled" boolean NOT NULL DEFAULT (0),
      "user_sync_connector_id" varchar(36),
      "access_groups" text NOT NULL,
      "logout_delete_session_cookie" boolean NOT NULL DEFAULT (1),
      "logout_redirect_url" varchar(2048),
      "version" integer NOT NULL,
      "updated_at" datetime NOT NULL DEFAULT (datetime('now'))
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "alb_settings"`);
  }
}
