import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An identity provider allowed to push users and groups over SCIM 2.0 into one directory. */
@Entity('scim_clients')
@Index('UQ_scim_clients_token_hash', ['tokenHash'], { unique: true })
export class ScimClientEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ name: 'directory_id', type: 'varchar', length: 36 })
  directoryId: string;

  /** SHA-256 of the bearer token (shown once, at creation). */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** What DELETE /Users/:id does. */
  @Column({ name: 'delete_action', type: 'varchar', length: 16 })
  deleteAction: 'deactivate' | 'delete';

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
