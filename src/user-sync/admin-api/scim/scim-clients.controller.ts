import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '../../../common/openapi';
import { Page } from '../../../common/pagination/page-query.dto';
import { PageOf } from '../../../common/pagination/page.view';
import { IsIn, IsString, IsUUID } from 'class-validator';
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../../../common/errors/domain-error';
import { ErrorCode } from '../../../common/errors/error-code.enum';
import { Optional } from '../../../common/validation/optional.decorator';
import { UuidParamPipe } from '../../../common/validation/uuid-param.pipe';
import { TransactionRunner } from '../../../database/transaction-runner.service';
import { IsIdentityName } from '../../identity/is-identity-name.decorator';
import { AuditStore } from '../../store/audit.store';
import { ScimClientEntity } from '../../store/scim-client.entity';
import { ScimClientsStore } from '../../store/scim-clients.store';
import { AdminApi } from '../admin-api.decorator';
import { CurrentActor } from '../current-actor.decorator';
import { DirectoriesService } from '../directories/directories.service';
import { AdminBody } from '../admin-params';
import { CreatedScimClientView, ScimClientView } from './scim-client.view';

export class CreateScimClientDto {
  @ApiProperty({ example: 'Entra ID provisioning' })
  @IsString()
  @IsIdentityName()
  name: string;

  @ApiProperty({ format: 'uuid', description: 'the directory the client provisions into' })
  @IsUUID()
  directoryId: string;

  @ApiPropertyOptional({ enum: ['deactivate', 'delete'], default: 'deactivate', description: 'what DELETE /scim/v2/Users/:id does' })
  @Optional()
  @IsIn(['deactivate', 'delete'])
  deleteAction?: 'deactivate' | 'delete';
}

const view = (client: ScimClientEntity): ScimClientView => ({ id: client.id, name: client.name, directoryId: client.directoryId, deleteAction: client.deleteAction, createdAt: client.createdAt });

/** SCIM clients: each identity provider gets its own bearer token, shown once, stored as its SHA-256. */
@ApiTags('scim')
@AdminApi()
@Controller('api/user-sync/scim-clients')
export class ScimClientsController {
  constructor(
    private readonly clients: ScimClientsStore,
    private readonly directories: DirectoriesService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditStore,
  ) {}

  @Get()
  @ApiOkResponse({ type: PageOf(ScimClientView) })
  async list(): Promise<Page<ScimClientView>> {
    const items = (await this.clients.list()).map(view);
    return { items, total: items.length };
  }

  @Post()
  @ApiCreatedResponse({ type: CreatedScimClientView, description: 'the client and its token (shown only now): the SCIM URL is <this service>/scim/v2' })
  async create(@AdminBody() dto: CreateScimClientDto, @CurrentActor() actor: string): Promise<CreatedScimClientView> {
    await this.directories.get(dto.directoryId);
    const token = randomBytes(32).toString('base64url');
    const client = await this.transactions.run(async (tx) => {
      const created = await this.clients.insert(tx, {
        name: dto.name,
        directoryId: dto.directoryId,
        tokenHash: createHash('sha256').update(token).digest('hex'),
        deleteAction: dto.deleteAction ?? 'deactivate',
      });
      await this.audit.configChange(tx, actor, { action: 'scim-client.created', name: dto.name, scimClientId: created.id }, { directoryId: dto.directoryId });
      return created;
    });
    return { ...view(client), token };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', UuidParamPipe) id: string, @CurrentActor() actor: string) {
    const client = await this.clients.byId(id);
    if (!client) throw new DomainError(ErrorCode.NOT_FOUND, `No SCIM client ${id}`);
    await this.transactions.run(async (tx) => {
      await this.clients.delete(tx, id);
      await this.audit.configChange(tx, actor, { action: 'scim-client.deleted', name: client.name, scimClientId: id }, { directoryId: client.directoryId });
    });
  }
}
