import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One run of a cleanup rule: its history, and the lease of a scheduled slot. (rule, slot) is
 * unique, so of several instances only the one whose insert succeeds runs a scheduled slot.
 */
@Entity('cleanup_runs')
@Index('UQ_cleanup_runs_rule_slot', ['ruleId', 'slot'], { unique: true })
export class CleanupRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'rule_id', type: 'varchar', length: 36 })
  ruleId: string;

  /** The scheduled time this run is for (ISO); for a run asked through the API, its own id. */
  @Column({ type: 'varchar', length: 64 })
  slot: string;

  @Column({ type: 'varchar', length: 16 })
  trigger: 'schedule' | 'manual';

  @Column({ name: 'started_at', type: 'datetime' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'datetime', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  affected: number;

  /** Why it stopped early, if it did. */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  error: string | null;
}
