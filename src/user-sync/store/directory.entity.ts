import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('directories')
export class DirectoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  /** Lower-cased name: uniqueness is case-insensitive on every database. */
  @Index('UQ_directories_name_key', { unique: true })
  @Column({ name: 'name_key', type: 'varchar', length: 255 })
  nameKey: string;

  @Column({ type: 'varchar', length: 1024, default: '' })
  description: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Index('IDX_directories_position')
  @Column({ type: 'int', default: 0 })
  position: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
