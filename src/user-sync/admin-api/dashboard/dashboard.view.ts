import { ApiProperty } from '../../../common/openapi';

export class ActivityBucketView {
  @ApiProperty({ description: 'the hour (`YYYY-MM-DD HH`, UTC) or day (`YYYY-MM-DD`, UTC)' })
  bucket!: string;

  @ApiProperty({ description: 'distinct users who signed in (a provisioned user’s login, answered from memory or not)' })
  signedIn!: number;

  @ApiProperty({ description: 'users created at their first login (audit `user.created` by `login`)' })
  firstLogins!: number;

  @ApiProperty({ description: 'refused logins (audit `login.refused`)' })
  refusals!: number;
}

export class RefusalCountView {
  @ApiProperty({ description: 'an error code (docs/routes.md)' })
  code!: string;

  @ApiProperty()
  count!: number;
}

export class DirectorySizeView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  active!: boolean;

  @ApiProperty()
  users!: number;

  @ApiProperty()
  activeUsers!: number;

  @ApiProperty()
  groups!: number;
}

export class DashboardCleanupRunView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  ruleId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null once the rule is deleted' })
  ruleName!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  directoryId!: string | null;

  @ApiProperty({ enum: ['schedule', 'manual'] })
  trigger!: 'schedule' | 'manual';

  @ApiProperty({ type: String, format: 'date-time' })
  startedAt!: Date;

  @ApiProperty()
  affected!: number;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;
}

/** GET /api/user-sync/dashboard: the sign-in path at a glance. */
export class DashboardView {
  @ApiProperty({ type: String, format: 'date-time' })
  generatedAt!: Date;

  @ApiProperty({ type: [ActivityBucketView], description: 'the last 24 hours, oldest first, the current one last' })
  hours!: ActivityBucketView[];

  @ApiProperty({ type: [ActivityBucketView], description: 'the last 14 days, oldest first, today last' })
  days!: ActivityBucketView[];

  @ApiProperty({ type: [RefusalCountView], description: 'refusals of the last 14 days by code, most frequent first' })
  refusalsByCode!: RefusalCountView[];

  @ApiProperty({ description: 'refusals read for refusalsByCode: the newest ones, at most 5,000' })
  refusalsRead!: number;

  @ApiProperty({ type: [DirectorySizeView] })
  directories!: DirectorySizeView[];

  @ApiProperty({ type: [DashboardCleanupRunView], description: 'the 10 newest cleanup runs' })
  cleanupRuns!: DashboardCleanupRunView[];
}
