import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '../../../common/openapi';
import { PageOf } from '../../../common/pagination/page.view';
import { AdminApi } from '../admin-api.decorator';
import { CurrentActor } from '../current-actor.decorator';
import { CurrentAdmin } from '../current-admin.decorator';
import { Page, PageQueryDto } from '../../../common/pagination/page-query.dto';
import { UuidParamPipe } from '../../../common/validation/uuid-param.pipe';
import { ConnectorsService, toConnectorView } from './connectors.service';
import { LoginPlanning } from '../../login/login-planning.service';
import { CreateConnectorDto, PreviewDto, PreviewUnsavedDto, UpdateConnectorDto } from './connector.dto';
import { AdminBody, AdminQuery } from '../admin-params';
import { ConnectorExportView, ConnectorView, ListedConnectorView, PreviewView, SavedConnectorView } from './connector.view';

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
  @ApiOkResponse({ type: PageOf(ListedConnectorView) })
  list(@AdminQuery() query: PageQueryDto): Promise<Page<ListedConnectorView>> {
    return this.connectors.list(query);
  }

  @Post()
  @ApiCreatedResponse({ type: SavedConnectorView })
  @ApiConflictResponse({ description: 'CONFLICT: the name is taken' })
  create(@AdminBody() dto: CreateConnectorDto, @CurrentActor() actor: string): Promise<SavedConnectorView> {
    return this.connectors.create(dto, actor);
  }

  @Post('import')
  @ApiCreatedResponse({ type: SavedConnectorView })
  @ApiConflictResponse({ description: 'CONFLICT: the name is taken' })
  import(@AdminBody() dto: CreateConnectorDto, @CurrentActor() actor: string): Promise<SavedConnectorView> {
    return this.connectors.create(dto, actor, false);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ type: PreviewView, description: 'like POST /connectors/:id/preview, for an unsaved connector body (the console previews while editing)' })
  previewUnsaved(@AdminBody() dto: PreviewUnsavedDto): Promise<PreviewView> {
    return this.connectors.previewUnsaved(dto.connector, dto.claims, dto.accessClaims, { connectorId: dto.connectorId, directoryId: dto.directoryId });
  }

  @Get(':id')
  @ApiOkResponse({ type: ConnectorView })
  async get(@Param('id', UuidParamPipe) id: string): Promise<ConnectorView> {
    return toConnectorView(await this.connectors.get(id));
  }

  @Get(':id/export')
  @ApiOkResponse({ type: ConnectorExportView, description: 'the connector without its id and directory id' })
  export(@Param('id', UuidParamPipe) id: string): Promise<ConnectorExportView> {
    return this.connectors.export(id);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOkResponse({ type: PreviewView, description: 'what a login with these claims would do; writes nothing' })
  async preview(@Param('id', UuidParamPipe) id: string, @AdminBody() dto: PreviewDto): Promise<PreviewView> {
    return this.planning.preview(await this.connectors.get(id), dto.claims, dto.accessClaims);
  }

  @Patch(':id')
  @ApiOkResponse({ type: SavedConnectorView })
  update(@Param('id', UuidParamPipe) id: string, @AdminBody() dto: UpdateConnectorDto, @CurrentActor() actor: string, @CurrentAdmin() admin: unknown): Promise<SavedConnectorView> {
    return this.connectors.update(id, dto, actor, admin);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiConflictResponse({ description: 'CONFLICT: the ALB settings use this connector' })
  remove(@Param('id', UuidParamPipe) id: string, @CurrentActor() actor: string) {
    return this.connectors.delete(id, actor);
  }
}
