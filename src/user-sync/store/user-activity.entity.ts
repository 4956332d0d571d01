import { Entity, PrimaryColumn } from 'typeorm';

/**
 * That a user signed in during an hour (UTC): one row per user and hour, however many requests and
 * instances, so that "users signed in" per hour and per day is a count of rows. Kept 15 days.
 */
@Entity('user_activity')
export class UserActivityEntity {
  /** The hour's start. */
  @PrimaryColumn({ type: 'datetime' })
  hour: Date;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;
}
