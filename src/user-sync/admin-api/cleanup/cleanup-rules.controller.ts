import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '../../../common/openapi';
import { UuidParamPipe } from '../../../common/validation/uuid-param.pipe';
import { AdminApi } from '../admin-api.decorator';
import { CurrentActor } from '../current-actor.decorator';
import { CleanupRuleDto, UpdateCleanupRuleDto } from './cleanup-rule.dto';
import { CleanupRulesService } from './cleanup-rules.service';
import { AdminBody } from '../admin-params';

@ApiTags('cleanup')
@AdminApi()
@Controller('api/user-sync/directories/:directoryId/cleanup-rules')
export class CleanupRulesController {
  constructor(private readonly rules: CleanupRulesService) {}

  @Get()
  list(@Param('directoryId', UuidParamPipe) directoryId: string) {
    return this.rules.list(directoryId);
  }

  @Post()
  create(@Param('directoryId', UuidParamPipe) directoryId: string, @AdminBody() dto: CleanupRuleDto, @CurrentActor() actor: string) {
    return this.rules.create(directoryId, dto, actor);
  }

  @Get(':id')
  get(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string) {
    return this.rules.get(directoryId, id);
  }

  @Patch(':id')
  update(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string, @AdminBody() dto: UpdateCleanupRuleDto, @CurrentActor() actor: string) {
    return this.rules.update(directoryId, id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string, @CurrentActor() actor: string) {
    return this.rules.delete(directoryId, id, actor);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ action, users: [{ username, lastLoginAt, inactiveDays, reason }], more }: who a run would affect now; writes nothing' })
  preview(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string) {
    return this.rules.preview(directoryId, id);
  }

  @Post(':id/run')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ runId, action, affected, more }: deactivates (or deletes) them now, audited' })
  run(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string) {
    return this.rules.run(directoryId, id);
  }

  @Get(':id/runs')
  @ApiOkResponse({ description: 'the rule\'s last 50 runs, newest first' })
  runs(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string) {
    return this.rules.runs(directoryId, id);
  }
}
