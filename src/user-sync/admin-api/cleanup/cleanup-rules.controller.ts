import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '../../../common/openapi';
import { Page } from '../../../common/pagination/page-query.dto';
import { PageOf } from '../../../common/pagination/page.view';
import { UuidParamPipe } from '../../../common/validation/uuid-param.pipe';
import { AdminApi } from '../admin-api.decorator';
import { CurrentActor } from '../current-actor.decorator';
import { CleanupRuleDto, UpdateCleanupRuleDto } from './cleanup-rule.dto';
import { CleanupRulesService } from './cleanup-rules.service';
import { AdminBody } from '../admin-params';
import { CleanupPreviewView, CleanupRuleView, CleanupRunResultView, CleanupRunView } from './cleanup.view';

@ApiTags('cleanup')
@AdminApi()
@Controller('api/user-sync/directories/:directoryId/cleanup-rules')
export class CleanupRulesController {
  constructor(private readonly rules: CleanupRulesService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(CleanupRuleView) })
  list(@Param('directoryId', UuidParamPipe) directoryId: string): Promise<Page<CleanupRuleView>> {
    return this.rules.list(directoryId);
  }

  @Post()
  @ApiCreatedResponse({ type: CleanupRuleView })
  create(@Param('directoryId', UuidParamPipe) directoryId: string, @AdminBody() dto: CleanupRuleDto, @CurrentActor() actor: string): Promise<CleanupRuleView> {
    return this.rules.create(directoryId, dto, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: CleanupRuleView })
  get(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string): Promise<CleanupRuleView> {
    return this.rules.get(directoryId, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: CleanupRuleView })
  update(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string, @AdminBody() dto: UpdateCleanupRuleDto, @CurrentActor() actor: string): Promise<CleanupRuleView> {
    return this.rules.update(directoryId, id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string, @CurrentActor() actor: string) {
    return this.rules.delete(directoryId, id, actor);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOkResponse({ type: CleanupPreviewView, description: 'who a run would affect now; writes nothing' })
  preview(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string): Promise<CleanupPreviewView> {
    return this.rules.preview(directoryId, id);
  }

  @Post(':id/run')
  @HttpCode(200)
  @ApiOkResponse({ type: CleanupRunResultView, description: 'deactivates (or deletes) them now, audited' })
  run(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string): Promise<CleanupRunResultView> {
    return this.rules.run(directoryId, id);
  }

  @Get(':id/runs')
  @ApiOkResponse({ type: PageOf(CleanupRunView), description: 'the rule\'s last 50 runs, newest first' })
  runs(@Param('directoryId', UuidParamPipe) directoryId: string, @Param('id', UuidParamPipe) id: string): Promise<Page<CleanupRunView>> {
    return this.rules.runs(directoryId, id);
  }
}
