import { Column, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** The one row of ALB settings (CONTRACT.md §6 "Settings"); id is always 1. */
@Entity('alb_settings')
export class AlbSettingsEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ name: 'username_claim', type: 'varchar', length: 255, default: 'email' })
  usernameClaim: string;

  @Column({ name: 'user_sync_enabled', type: 'boolean', default: false })
  userSyncEnabled: boolean;

  @Column({ name: 'user_sync_connector_id', type: 'varchar', length: 36, nullable: true })
  userSyncConnectorId: string | null;

  @Column({ name: 'access_groups', type: 'simple-json' })
  accessGroups: string[];

  /** Groups no connector grants from claims; null: the module's adminGroups. */
  @Column({ name: 'protected_groups', type: 'simple-json', nullable: true })
  protectedGroups: string[] | null;

  @Column({ name: 'logout_delete_session_cookie', type: 'boolean', default: true })
  logoutDeleteSessionCookie: boolean;

  @Column({ name: 'logout_redirect_url', type: 'varchar', length: 2048, nullable: true })
  logoutRedirectUrl: string | null;

  @VersionColumn()
  version: number;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
