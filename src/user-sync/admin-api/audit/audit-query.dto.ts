import { Optional } from '../../../common/validation/optional.decorator';
import { ApiPropertyOptional } from '../../../common/openapi';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';

/** A calendar date and time with seconds optional and its offset: what `new Date()` reads the same everywhere. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

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
  @Matches(ISO_INSTANT, { message: 'since: must be a date and time with its offset, e.g. 2026-11-29T08:00:00Z' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'events before this time' })
  @Optional()
  @Matches(ISO_INSTANT, { message: 'until: must be a date and time with its offset, e.g. 2026-11-29T08:00:00Z' })
  until?: string;

  @ApiPropertyOptional({ enum: AUDIT_TYPES })
  @Optional()
  @IsIn(AUDIT_TYPES)
  type?: (typeof AUDIT_TYPES)[number];

  @ApiPropertyOptional({ description: 'who did it, exactly: `login`, an admin’s username, `api-token`, `scim:<client name>`, `cleanup`' })
  @Optional()
  @IsString()
  @Length(1, 255)
  actor?: string;
}
