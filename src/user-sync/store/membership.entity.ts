import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export { MANUAL_ORIGIN } from './membership-origin';

/**
 * One grant of a group to a user. A user may hold the same group from several origins; the
 * connector's `removeUnlisted` only ever removes its own grants.
 */
@Entity('memberships')
@Index('IDX_memberships_group', ['groupId'])
export class MembershipEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 36 })
  groupId: string;

  /** `manual` or the id of the connector that granted it. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  origin: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
