import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminApi } from '../../admin/admin-api.decorator';
import { AuditService } from './audit.service';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@AdminApi()
@Controller('api/user-sync/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOkResponse({ description: '{ items, total }: audit events, newest first' })
  list(@Query() query: AuditQueryDto) {
    return this.audit.list(query);
  }
}
