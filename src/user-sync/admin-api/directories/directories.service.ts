import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../database/transaction-runner.service';
import { DomainError } from '../../../common/errors/domain-error';
import { ErrorCode } from '../../../common/errors/error-code.enum';
import { Page, PageQueryDto } from '../../../common/pagination/page-query.dto';
import { AdminSafeguard } from '../../config/admin-safeguard.service';
import { ConfigChanges } from '../../config/config-changes.service';
import { AuditStore } from '../../store/audit.store';
import { DirectoriesStore } from '../../store/directories.store';
import { DirectoryEntity } from '../../store/directory.entity';
import { ScimClientsStore } from '../../store/scim-clients.store';
import { StoreTx } from '../../store/store-tx';
import { CreateDirectoryDto, UpdateDirectoryDto } from './directory.dto';
import { nameKey } from '../../identity/identity-rules';
import { DirectoryView } from './directory.view';

@Injectable()
export class DirectoriesService {
  constructor(
    private readonly store: DirectoriesStore,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditStore,
    private readonly changes: ConfigChanges,
    private readonly scimClients: ScimClientsStore,
    private readonly safeguard: AdminSafeguard,
  ) {}

  async list(query: PageQueryDto): Promise<Page<DirectoryView>> {
    const [items, total] = await this.store.page(query.limit, query.offset);
    return { items: items.map(toDirectoryView), total };
  }

  async get(id: string, tx?: StoreTx): Promise<DirectoryEntity> {
    const directory = await this.store.byId(id, tx);
    if (!directory) throw new DomainError(ErrorCode.NOT_FOUND, `No directory ${id}`);
    return directory;
  }

  async create(dto: CreateDirectoryDto, actor: string): Promise<DirectoryView> {
    return this.transactions.run(async (tx) => toDirectoryView(await this.createIn(tx, dto, actor)));
  }

  /** Creates a directory inside the caller's transaction (connectors use it for createDirectory). */
  async createIn(tx: StoreTx, dto: CreateDirectoryDto, actor: string): Promise<DirectoryEntity> {
    await this.assertNameFree(tx, dto.name);
    const directory = await this.store.insert(
      tx,
      {
        name: dto.name,
        nameKey: nameKey(dto.name),
        description: dto.description ?? '',
        active: dto.active ?? true,
        position: dto.position ?? (await this.store.nextPosition(tx)),
      },
      `A directory named "${dto.name}" already exists`,
    );
    await this.audit.configChange(tx, actor, { action: 'directory.created', name: directory.name }, { directoryId: directory.id });
    await this.changes.changed(tx);
    return directory;
  }

  async update(id: string, dto: UpdateDirectoryDto, actor: string): Promise<DirectoryView> {
    return this.transactions.run(async (tx) => {
      const directory = await this.get(id, tx);
      if (dto.name !== undefined && nameKey(dto.name) !== directory.nameKey) {
        await this.assertNameFree(tx, dto.name);
        directory.name = dto.name;
        directory.nameKey = nameKey(dto.name);
      } else if (dto.name !== undefined) {
        directory.name = dto.name;
      }
      if (dto.description !== undefined) directory.description = dto.description;
      if (dto.active === false && directory.active) await this.safeguard.assertAdminsRemain(tx, { directoryIds: [id] }, `Deactivating directory "${directory.name}"`);
      if (dto.active !== undefined) directory.active = dto.active;
      if (dto.position !== undefined) directory.position = dto.position;
      await this.store.save(tx, directory, `A directory named "${dto.name}" already exists`);
      await this.audit.configChange(tx, actor, { action: 'directory.updated', changes: Object.keys(dto) }, { directoryId: id });
      await this.changes.changed(tx);
      return toDirectoryView(directory);
    });
  }

  async delete(id: string, actor: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const directory = await this.get(id, tx);
      const connector = await this.store.connectorUsing(id, tx);
      if (connector) {
        throw new DomainError(ErrorCode.CONFLICT, `Connector "${connector.name}" uses this directory: delete or move it first`);
      }
      await this.safeguard.assertAdminsRemain(tx, { directoryIds: [id] }, `Deleting directory "${directory.name}"`);
      // Its SCIM clients go with it: a token that provisioned into it must not write into nowhere.
      const revoked = await this.scimClients.deleteForDirectory(tx, id);
      await this.store.deleteWithContents(tx, id);
      await this.audit.configChange(
        tx,
        actor,
        { action: 'directory.deleted', name: directory.name, ...(revoked.length > 0 && { scimClientsRevoked: revoked.map((client) => client.id) }) },
        { directoryId: id },
      );
      await this.changes.changed(tx);
    });
  }

  private async assertNameFree(tx: StoreTx, name: string): Promise<void> {
    if (await this.store.nameKeyTaken(nameKey(name), tx)) {
      throw new DomainError(ErrorCode.CONFLICT, `A directory named "${name}" already exists`);
    }
  }
}

export function toDirectoryView(directory: DirectoryEntity): DirectoryView {
  return {
    id: directory.id,
    name: directory.name,
    description: directory.description,
    active: directory.active,
    position: directory.position,
  };
}
