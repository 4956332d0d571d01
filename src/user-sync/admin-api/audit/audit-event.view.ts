import { ApiProperty } from '../../../common/openapi';
import type { AuditEventType } from '../../store/audit-event.entity';
import { AUDIT_TYPES } from './audit-query.dto';

export class AuditEventView {
  @ApiProperty()
  id!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ enum: AUDIT_TYPES, description: 'docs/audit-events.md' })
  type!: AuditEventType;

  @ApiProperty({ description: 'who did it: `login`, an admin’s username, `api-token`, `scim:<client name>`, `cleanup` or `local-mode` (docs/audit-events.md)' })
  actor!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  connectorId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  directoryId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  username!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'by type: docs/audit-events.md' })
  details!: Record<string, unknown>;
}
