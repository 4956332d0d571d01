import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditEventType =
  | 'user.created'
  | 'user.updated'
  | 'user.renamed'
  | 'user.reactivated'
  | 'user.deactivated'
  | 'user.deleted'
  | 'groups.changed'
  | 'groups.protected'
  | 'login.refused'
  | 'config.changed'
  | 'cleanup.ran';

@Entity('audit_events')
@Index('IDX_audit_events_username', ['username'])
@Index('IDX_audit_events_connector', ['connectorId'])
@Index('IDX_audit_events_type', ['type'])
// The dashboard counts one type over a window of time.
@Index('IDX_audit_events_type_created', ['type', 'createdAt'])
export class AuditEventEntity {
  /** Increasing: "newest first" is a descending id, exact even within one millisecond. */
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ type: 'varchar', length: 32 })
  type: AuditEventType;

  /** Who did it: an admin's username, `api-token`, or `login` for provisioning. */
  @Column({ type: 'varchar', length: 255 })
  actor: string;

  @Column({ name: 'connector_id', type: 'varchar', length: 36, nullable: true })
  connectorId: string | null;

  @Column({ name: 'directory_id', type: 'varchar', length: 36, nullable: true })
  directoryId: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  username: string | null;

  /** Mapped values and reasons only: never a token or a raw claim set. */
  @Column({ type: 'simple-json' })
  details: Record<string, unknown>;
}
