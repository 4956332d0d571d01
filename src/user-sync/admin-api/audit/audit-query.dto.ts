import { Optional } from '../../../common/validation/optional.decorator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';

export const AUDIT_TYPES = [
  'user.created',
  'user.updated',
  'user.renamed',
  'user.reactivated',
  'user.deactivated',
  'user.deleted',
  'groups.changed',
  'groups.protected',
  'login.refused',
  'config.changed',
  'cleanup.ran',
] as const;

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 255)
  username?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  connectorId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'events at or after this time' })
  @Optional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'events before this time' })
  @Optional()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ enum: AUDIT_TYPES })
  @Optional()
  @IsIn(AUDIT_TYPES)
  type?: (typeof AUDIT_TYPES)[number];
}
