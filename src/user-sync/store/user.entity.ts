import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('users')
@Index('UQ_users_directory_username', ['directoryId', 'usernameKey'], { unique: true })
@Index('UQ_users_directory_external_id', ['directoryId', 'externalIdHash'], { unique: true })
@Index('IDX_users_directory_skeleton', ['directoryId', 'usernameSkeleton'])
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'directory_id', type: 'varchar', length: 36 })
  directoryId: string;

  @Column({ type: 'varchar', length: 255 })
  username: string;

  /** nameKey(username): users are unique per directory under the identity rule (binary collation). */
  @Column({ name: 'username_key', type: 'varchar', length: 255 })
  usernameKey: string;

  /** usernameSkeleton(username): look-alike usernames share it. */
  @Column({ name: 'username_skeleton', type: 'varchar', length: 64, nullable: true })
  usernameSkeleton: string | null;

  @Column({ name: 'display_name', type: 'varchar', length: 255, default: '' })
  displayName: string;

  @Column({ type: 'varchar', length: 320, default: '' })
  email: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'simple-json' })
  attributes: Record<string, string>;

  /** The connector's primary-key claim (e.g. `sub`), exactly as sent; null for users made by hand. */
  @Column({ name: 'external_id', type: 'varchar', length: 1024, nullable: true })
  externalId: string | null;

  /** primaryKeyHash(externalId): what the unique index compares (byte-exact on every database). */
  @Column({ name: 'external_id_hash', type: 'varchar', length: 64, nullable: true })
  externalIdHash: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;

  @Column({ name: 'last_login_at', type: 'datetime', nullable: true })
  lastLoginAt: Date | null;

  /**
   * When a SCIM client deleted the user but only deactivated it (its deleteAction): while the user
   * stays inactive, SCIM answers 404 for it (RFC 7644 §3.6). Any reactivation clears it.
   */
  @Column({ name: 'scim_deleted_at', type: 'datetime', nullable: true })
  scimDeletedAt?: Date | null;
}
