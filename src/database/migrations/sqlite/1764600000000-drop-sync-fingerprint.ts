import { MigrationInterface, QueryRunner } from 'typeorm';

/** users.sync_fingerprint was written and cleared but never read: the login plan decides what changes. */
export class DropSyncFingerprintSqlite1764600000000 implements MigrationInterface {
  name = 'DropSyncFingerprintSqlite1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "sync_fingerprint"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" ADD "sync_fingerprint" varchar(64)');
  }
}
