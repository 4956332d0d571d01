import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '../../../common/openapi';
import { AdminApi } from '../admin-api.decorator';
import { AuditStore } from '../../store/audit.store';
import { AuditQueryDto } from './audit-query.dto';
import { AdminQuery } from '../admin-params';

@ApiTags('audit')
@AdminApi()
@Controller('api/user-sync/audit')
export class AuditController {
  constructor(private readonly audit: AuditStore) {}

  @Get()
  @ApiOkResponse({ description: '{ items, total }: audit events, newest first' })
  async list(@AdminQuery() query: AuditQueryDto) {
    const filter = { ...query, since: query.since ? new Date(query.since) : undefined, until: query.until ? new Date(query.until) : undefined };
    const [items, total] = await this.audit.page(filter, query.limit, query.offset);
    return { items, total };
  }
}
