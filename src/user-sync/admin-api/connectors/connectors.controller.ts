import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '../../../common/openapi';
import { AdminApi } from '../admin-api.decorator';
import { CurrentActor } from '../current-actor.decorator';
import { CurrentAdmin } from '../current-admin.decorator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';
import { UuidParamPipe } from '../../../common/validation/uuid-param.pipe';
import { ConnectorsService, toConnectorView } from './connectors.service';
import { LoginPlanning } from '../../login/login-planning.service';
import { CreateConnectorDto, PreviewDto, PreviewUnsavedDto, UpdateConnectorDto } from './connector.dto';
import { AdminBody, AdminQuery } from '../admin-params';

@ApiTags('connectors')
@AdminApi()
@ApiNotFoundResponse({ description: 'NOT_FOUND: unknown connector or directory' })
@Controller('api/user-sync/connectors')
export class ConnectorsController {
  constructor(
    private readonly connectors: ConnectorsService,
    private readonly planning: LoginPlanning,
  ) {}

  @Get()
  @ApiOkResponse({ description: '{ items, total }' })
  list(@AdminQuery() query: PageQueryDto) {
    return this.connectors.list(query);
  }

  @Post()
  @ApiConflictResponse({ description: 'CONFLICT: the name is taken' })
  create(@AdminBody() dto: CreateConnectorDto, @CurrentActor() actor: string) {
    return this.connectors.create(dto, actor);
  }

  @Post('import')
  @ApiConflictResponse({ description: 'CONFLICT: the name is taken' })
  import(@AdminBody() dto: CreateConnectorDto, @CurrentActor() actor: string) {
    return this.connectors.create(dto, actor, false);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ description: 'like POST /connectors/:id/preview, for an unsaved connector body (the console previews while editing)' })
  previewUnsaved(@AdminBody() dto: PreviewUnsavedDto) {
    return this.connectors.previewUnsaved(dto.connector, dto.claims, dto.accessClaims, { connectorId: dto.connectorId, directoryId: dto.directoryId });
  }

  @Get(':id')
  async get(@Param('id', UuidParamPipe) id: string) {
    return toConnectorView(await this.connectors.get(id));
  }

  @Get(':id/export')
  @ApiOkResponse({ description: 'the connector without its id and directory id' })
  export(@Param('id', UuidParamPipe) id: string) {
    return this.connectors.export(id);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ user, groups, access, decision, warnings }: what a login with these claims would do; writes nothing' })
  async preview(@Param('id', UuidParamPipe) id: string, @AdminBody() dto: PreviewDto) {
    return this.planning.preview(await this.connectors.get(id), dto.claims, dto.accessClaims);
  }

  @Patch(':id')
  update(@Param('id', UuidParamPipe) id: string, @AdminBody() dto: UpdateConnectorDto, @CurrentActor() actor: string, @CurrentAdmin() admin: unknown) {
    return this.connectors.update(id, dto, actor, admin);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiConflictResponse({ description: 'CONFLICT: the ALB settings use this connector' })
  remove(@Param('id', UuidParamPipe) id: string, @CurrentActor() actor: string) {
    return this.connectors.delete(id, actor);
  }
}
