import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../common/database/sql';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { Page, PageQueryDto } from '../../common/pagination/page-query.dto';
import { ConfigChanges } from '../settings/config-changes.service';
import { AuditService } from '../audit/audit.service';
import { ConnectorEntity } from '../connectors/connector.entity';
import { DirectoryEntity } from './directory.entity';
import { CreateDirectoryDto, UpdateDirectoryDto } from './dto/directory.dto';
import { GroupEntity } from './group.entity';
import { MembershipEntity } from './membership.entity';
import { nameKey } from '../identity/identity-rules';
import { UserEntity } from './user.entity';

export interface DirectoryView {
  id: string;
  name: string;
  description: string;
  active: boolean;
  position: number;
}

@Injectable()
export class DirectoriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly changes: ConfigChanges,
  ) {}

  async list(query: PageQueryDto): Promise<Page<DirectoryView>> {
    const [items, total] = await this.dataSource.getRepository(DirectoryEntity).findAndCount({
      order: { position: 'ASC', nameKey: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: items.map(toDirectoryView), total };
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<DirectoryEntity> {
    const directory = await manager.findOneBy(DirectoryEntity, { id });
    if (!directory) throw new DomainError(ErrorCode.NOT_FOUND, `No directory ${id}`);
    return directory;
  }

  async create(dto: CreateDirectoryDto, actor: string): Promise<DirectoryView> {
    return this.transactions.run(async (manager) => toDirectoryView(await this.createIn(manager, dto, actor)));
  }

  /** Creates a directory inside the caller's transaction (connectors use it for createDirectory). */
  async createIn(manager: EntityManager, dto: CreateDirectoryDto, actor: string): Promise<DirectoryEntity> {
    await this.assertNameFree(manager, dto.name);
    let position = dto.position;
    if (position === undefined) {
      const last = await manager.createQueryBuilder(DirectoryEntity, 'd').select('MAX(d.position)', 'max').getRawOne<{ max: number | null }>();
      position = (Number(last?.max ?? -1) || 0) + 1;
    }
    const directory = manager.create(DirectoryEntity, {
      name: dto.name,
      nameKey: nameKey(dto.name),
      description: dto.description ?? '',
      active: dto.active ?? true,
      position,
    });
    await saveUnique(manager, directory, `A directory named "${dto.name}" already exists`);
    await this.audit.configChange(manager, actor, { action: 'directory.created', name: directory.name }, { directoryId: directory.id });
    await this.changes.changed(manager);
    return directory;
  }

  async update(id: string, dto: UpdateDirectoryDto, actor: string): Promise<DirectoryView> {
    return this.transactions.run(async (manager) => {
      const directory = await this.get(id, manager);
      if (dto.name !== undefined && nameKey(dto.name) !== directory.nameKey) {
        await this.assertNameFree(manager, dto.name);
        directory.name = dto.name;
        directory.nameKey = nameKey(dto.name);
      } else if (dto.name !== undefined) {
        directory.name = dto.name;
      }
      if (dto.description !== undefined) directory.description = dto.description;
      if (dto.active !== undefined) directory.active = dto.active;
      if (dto.position !== undefined) directory.position = dto.position;
      await saveUnique(manager, directory, `A directory named "${dto.name}" already exists`);
      await this.audit.configChange(manager, actor, { action: 'directory.updated', changes: Object.keys(dto) }, { directoryId: id });
      await this.changes.changed(manager);
      return toDirectoryView(directory);
    });
  }

  async delete(id: string, actor: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const directory = await this.get(id, manager);
      const connector = await manager.findOneBy(ConnectorEntity, { directoryId: id });
      if (connector) {
        throw new DomainError(ErrorCode.CONFLICT, `Connector "${connector.name}" uses this directory: delete or move it first`);
      }
      const userIds = manager.createQueryBuilder(UserEntity, 'u').select('u.id').where('u.directory_id = :id', { id });
      await manager
        .createQueryBuilder()
        .delete()
        .from(MembershipEntity)
        .where(`user_id IN (${userIds.getQuery()})`, userIds.getParameters())
        .execute();
      await manager.delete(UserEntity, { directoryId: id });
      await manager.delete(GroupEntity, { directoryId: id });
      await manager.delete(DirectoryEntity, { id });
      await this.audit.configChange(manager, actor, { action: 'directory.deleted', name: directory.name }, { directoryId: id });
      await this.changes.changed(manager);
    });
  }

  private async assertNameFree(manager: EntityManager, name: string): Promise<void> {
    if (await manager.existsBy(DirectoryEntity, { nameKey: nameKey(name) })) {
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

/** Saves, turning a unique-constraint race into 409 CONFLICT. */
export async function saveUnique<T extends object>(manager: EntityManager, entity: T, conflict: string): Promise<T> {
  try {
    return await manager.save(entity);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError(ErrorCode.CONFLICT, conflict);
    throw error;
  }
}
