import { ApiProperty, ApiPropertyOptional } from '../../../common/openapi';
import { PartialType } from '../../../common/validation/mapped-types';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { Optional } from '../../../common/validation/optional.decorator';
import { IsIdentityName } from '../../identity/is-identity-name.decorator';

export class CleanupRuleDto {
  @ApiProperty({ example: 'Leavers after 90 days' })
  @IsString()
  @IsIdentityName()
  name: string;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  enabled?: boolean;

  @ApiProperty({ example: 90, description: 'days without a login (or since creation, for users who never logged in)' })
  @IsInt()
  @Min(1)
  @Max(36500)
  inactiveDays: number;

  @ApiPropertyOptional({ type: [String], description: 'only users in one of these groups (names, or RE2 patterns written /like this/); empty: every user' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 1024, { each: true })
  onlyGroups?: string[];

  @ApiPropertyOptional({ type: [String], description: 'users in one of these groups are kept (names or /patterns/)' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 1024, { each: true })
  exceptGroups?: string[];

  @ApiPropertyOptional({ default: 100, description: 'at most this many users per run' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(10000)
  maxPerRun?: number;

  @ApiPropertyOptional({ enum: ['deactivate', 'delete'], default: 'deactivate', description: 'delete only when chosen explicitly' })
  @Optional()
  @IsIn(['deactivate', 'delete'])
  action?: 'deactivate' | 'delete';

  @ApiPropertyOptional({ default: false, description: 'may affect members of protected groups (settings protectedGroups, the admin groups among them); previews name them. The last active admin is never affected' })
  @Optional()
  @IsBoolean()
  includeProtected?: boolean;

  @ApiPropertyOptional({ example: '0 3 * * *', nullable: true, description: 'cron expression (UTC; seconds optional); null: runs only when asked' })
  @ValidateIf((_rule, value) => value !== undefined && value !== null)
  @IsString()
  @Length(1, 128)
  schedule?: string | null;
}

export class UpdateCleanupRuleDto extends PartialType(CleanupRuleDto) {}
