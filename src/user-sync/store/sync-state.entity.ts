import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row whose generation goes up with every admin change. Each instance polls it, so a change
 * made through any instance reaches every instance's caches within seconds.
 */
@Entity('sync_state')
export class SyncStateEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'int', default: 0 })
  generation: number;
}
