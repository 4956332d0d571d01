import { AlbSettingsEntity } from './alb-settings.entity';
import { AuditEventEntity } from './audit-event.entity';
import { ConnectorEntity } from './connector.entity';
import { DirectoryEntity } from './directory.entity';
import { GroupEntity } from './group.entity';
import { MembershipEntity } from './membership.entity';
import { UserEntity } from './user.entity';
import { SyncStateEntity } from './sync-state.entity';
import { CleanupRuleEntity } from './cleanup-rule.entity';
import { CleanupRunEntity } from './cleanup-run.entity';
import { ScimClientEntity } from './scim-client.entity';
import { UserActivityEntity } from './user-activity.entity';

/** Every entity of alb-usersync, for a host app's TypeOrmModule.forRoot({ entities }). */
export const ALB_USERSYNC_ENTITIES = [
  AlbSettingsEntity,
  DirectoryEntity,
  UserEntity,
  GroupEntity,
  MembershipEntity,
  ConnectorEntity,
  AuditEventEntity,
  SyncStateEntity,
  CleanupRuleEntity,
  CleanupRunEntity,
  ScimClientEntity,
  UserActivityEntity,
];
