import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { ConnectorGroupOptions, ConnectorUserOptions, Mapping } from './connector.types';

@Entity('connectors')
export class ConnectorEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Index('UQ_connectors_name_key', { unique: true })
  @Column({ name: 'name_key', type: 'varchar', length: 255 })
  nameKey: string;

  @Column({ type: 'varchar', length: 32, default: 'jit' })
  type: 'jit';

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Index('IDX_connectors_directory')
  @Column({ name: 'directory_id', type: 'varchar', length: 36 })
  directoryId: string;

  @Column({ name: 'primary_key', type: 'varchar', length: 255, default: 'sub' })
  primaryKey: string;

  @Column({ type: 'simple-json' })
  mappings: Mapping[];

  @Column({ name: 'group_options', type: 'simple-json' })
  groups: ConnectorGroupOptions;

  @Column({ name: 'user_options', type: 'simple-json' })
  users: ConnectorUserOptions;

  /** Bumped on every change: part of each provisioning fingerprint. */
  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
