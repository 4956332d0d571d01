import { QueryRunner } from 'typeorm';
import { primaryKeyHash, usernameSkeleton } from './identity-rule-frozen';

/** Fills users' external_id_hash and username_skeleton as the identity rule computed them (a frozen copy: identity-rule-frozen.ts). */
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
