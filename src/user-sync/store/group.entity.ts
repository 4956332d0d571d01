import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('groups')
@Index('UQ_groups_directory_name', ['directoryId', 'nameKey'], { unique: true })
export class GroupEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'directory_id', type: 'varchar', length: 36 })
  directoryId: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ name: 'name_key', type: 'varchar', length: 255 })
  nameKey: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
