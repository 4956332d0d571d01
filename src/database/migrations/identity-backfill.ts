import { QueryRunner } from 'typeorm';
import { primaryKeyHash, usernameSkeleton } from '../../user-sync/identity/identity-rules';

/** Fills users' external_id_hash and username_skeleton with what the service computes (the same code). */
export async function backfillIdentityColumns(queryRunner: QueryRunner): Promise<void> {
  const users: Array<{ id: string; username: string; external_id: string | null }> = await queryRunner.query(
    // Only rows not filled yet: a run cut short resumes where it stopped.
    'SELECT id, username, external_id FROM users WHERE username_skeleton IS NULL',
  );
  for (const user of users) {
    await queryRunner.query('UPDATE users SET external_id_hash = ?, username_skeleton = ? WHERE id = ?', [
      user.external_id === null ? null : primaryKeyHash(user.external_id),
      usernameSkeleton(user.username),
      user.id,
    ]);
  }
}
