import { ApiProperty } from '../../../common/openapi';
import type { AlbSettings } from '../../config/alb-settings.service';

export class UserSyncSettingsView {
  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  connectorId!: string | null;
}

export class LogoutSettingsView {
  @ApiProperty()
  deleteSessionCookie!: boolean;

  @ApiProperty({ type: String, nullable: true })
  redirectUrl!: string | null;
}

export class AlbSettingsView implements AlbSettings {
  @ApiProperty({ description: 'claim naming the user when user sync is off' })
  usernameClaim!: string;

  @ApiProperty({ type: UserSyncSettingsView })
  userSync!: UserSyncSettingsView;

  @ApiProperty({ type: [String], description: 'empty: every active user; else one of them is needed' })
  accessGroups!: string[];

  @ApiProperty({ type: [String], description: 'groups no connector grants from claims unless it allows them: always the admin groups, plus those set' })
  protectedGroups!: string[];

  @ApiProperty({ type: LogoutSettingsView })
  logout!: LogoutSettingsView;
}
