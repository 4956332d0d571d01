import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '../../../common/openapi';
import { Page } from '../../../common/pagination/page-query.dto';
import { PageOf } from '../../../common/pagination/page.view';
import { AuditEventView } from './audit-event.view';
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
  @ApiOkResponse({ type: PageOf(AuditEventView), description: 'audit events, newest first' })
  async list(@AdminQuery() query: AuditQueryDto): Promise<Page<AuditEventView>> {
    const filter = { ...query, since: query.since ? new Date(query.since) : undefined, until: query.until ? new Date(query.until) : undefined };
    const [items, total] = await this.audit.page(filter, query.limit, query.offset);
    return { items, total };
  }
}
