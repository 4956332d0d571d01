import { AlbSettingsEntity } from '../user-sync/settings/alb-settings.entity';
import { AuditEventEntity } from '../user-sync/audit/audit-event.entity';
import { ConnectorEntity } from '../user-sync/connectors/connector.entity';
import { DirectoryEntity } from '../user-sync/directories/directory.entity';
import { GroupEntity } from '../user-sync/directories/group.entity';
import { MembershipEntity } from '../user-sync/directories/membership.entity';
import { UserEntity } from '../user-sync/directories/user.entity';
import { SyncStateEntity } from '../user-sync/sync-state.entity';

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
];
