import { ApiProperty } from '../../../common/openapi';

// The admin API's answers about cleanup rules, as classes so that the OpenAPI document describes
// them (the console's types are generated from it).

export class CleanupRuleView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  directoryId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ description: 'days since the last login (or creation) after which a user is inactive' })
  inactiveDays!: number;

  @ApiProperty({ type: [String], description: 'only members of these groups (`/regex/` allowed); empty: everyone' })
  onlyGroups!: string[];

  @ApiProperty({ type: [String], description: 'never members of these groups (`/regex/` allowed)' })
  exceptGroups!: string[];

  @ApiProperty()
  maxPerRun!: number;

  @ApiProperty({ enum: ['deactivate', 'delete'] })
  action!: 'deactivate' | 'delete';

  @ApiProperty({ description: 'whether members of protected groups may be cleaned up' })
  includeProtected!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'a cron expression, or null: runs only when asked' })
  schedule!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}

export class CleanupCandidateView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ description: 'whole days since the last login (or creation)' })
  inactiveDays!: number;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: [String], description: 'the protected groups the user holds (only with includeProtected)' })
  protectedGroups!: string[];
}

/** POST …/cleanup-rules/:id/preview: who a run would affect now. */
export class CleanupPreviewView {
  @ApiProperty({ enum: ['deactivate', 'delete'] })
  action!: 'deactivate' | 'delete';

  @ApiProperty({ type: [CleanupCandidateView] })
  users!: CleanupCandidateView[];

  @ApiProperty({ description: 'more users match than maxPerRun' })
  more!: boolean;

  @ApiProperty({ description: 'users spared because they hold a protected group' })
  sparedProtected!: number;

  @ApiProperty({ type: [String] })
  warnings!: string[];
}

export class CleanupAffectedView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty()
  inactiveDays!: number;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: [String] })
  protectedGroups!: string[];
}

/** POST …/cleanup-rules/:id/run: what the run did. */
export class CleanupRunResultView {
  @ApiProperty({ format: 'uuid' })
  runId!: string;

  @ApiProperty({ enum: ['schedule', 'manual'] })
  trigger!: 'schedule' | 'manual';

  @ApiProperty({ enum: ['deactivate', 'delete'] })
  action!: 'deactivate' | 'delete';

  @ApiProperty({ type: [CleanupAffectedView] })
  affected!: CleanupAffectedView[];

  @ApiProperty()
  more!: boolean;
}

export class CleanupRunView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  ruleId!: string;

  @ApiProperty({ description: 'the schedule slot it ran for, or a manual run’s own' })
  slot!: string;

  @ApiProperty({ enum: ['schedule', 'manual'] })
  trigger!: 'schedule' | 'manual';

  @ApiProperty({ type: String, format: 'date-time' })
  startedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: Date | null;

  @ApiProperty()
  affected!: number;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;
}
