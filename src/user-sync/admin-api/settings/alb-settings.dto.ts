import { IsIdentityName } from '../../identity/is-identity-name.decorator';
import { Optional } from '../../../common/validation/optional.decorator';
import { ApiPropertyOptional } from '../../../common/openapi';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CarryOverAdminsField, ConfirmLockoutField } from './lockout-fields';

export class UserSyncSettingsDto {
  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  connectorId?: string | null;
}

export class LogoutSettingsDto {
  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  deleteSessionCookie?: boolean;

  @ApiPropertyOptional({ nullable: true, example: 'https://auth.example.com/logout' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  redirectUrl?: string | null;
}

/** PUT /api/alb-auth/settings: what is given replaces the stored value; the rest stays. */
export class AlbSettingsDto {
  @ApiPropertyOptional({ example: 'email', description: 'claim naming the user when user sync is off' })
  @Optional()
  @IsString()
  @Length(1, 255)
  usernameClaim?: string;

  @ApiPropertyOptional({ type: UserSyncSettingsDto })
  @Optional()
  @ValidateNested()
  @Type(() => UserSyncSettingsDto)
  userSync?: UserSyncSettingsDto;

  @ApiPropertyOptional({ type: [String], description: 'empty: every active user; else one of them is needed' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsIdentityName({ each: true })
  accessGroups?: string[];

  @ApiPropertyOptional({ type: [String], description: 'groups no connector grants from claims unless it sets groups.allowProtectedGroups (default: the admin groups)' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsIdentityName({ each: true })
  protectedGroups?: string[];

  @ApiPropertyOptional({ type: LogoutSettingsDto })
  @Optional()
  @ValidateNested()
  @Type(() => LogoutSettingsDto)
  logout?: LogoutSettingsDto;

  @CarryOverAdminsField()
  carryOverAdmins?: boolean;

  @ConfirmLockoutField()
  confirmLockout?: boolean;
}
