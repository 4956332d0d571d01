import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type CleanupAction = 'deactivate' | 'delete';

/** Inactive-user cleanup of one directory: users not seen for `inactiveDays` are deactivated (or deleted). */
@Entity('cleanup_rules')
@Index('IDX_cleanup_rules_directory', ['directoryId'])
export class CleanupRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'directory_id', type: 'varchar', length: 36 })
  directoryId: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'inactive_days', type: 'int' })
  inactiveDays: number;

  /** Group names, or RE2 patterns written /like this/: only users in one of them. Empty: everyone. */
  @Column({ name: 'only_groups', type: 'simple-json' })
  onlyGroups: string[];

  /** Users in one of these are kept. */
  @Column({ name: 'except_groups', type: 'simple-json' })
  exceptGroups: string[];

  @Column({ name: 'max_per_run', type: 'int' })
  maxPerRun: number;

  @Column({ type: 'varchar', length: 16 })
  action: CleanupAction;

  /**
   * Whether members of protected groups (settings protectedGroups, the admin groups among them) may
   * be cleaned up: never unless set, and then previews name them.
   */
  @Column({ name: 'include_protected', type: 'boolean', default: false })
  includeProtected: boolean;

  /** A cron expression (seconds optional), or null: runs only when asked. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  schedule: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
