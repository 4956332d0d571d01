import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { escapeLike } from '../../common/database/sql';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { Page } from '../../common/pagination/page-query.dto';
import { ConfigChanges } from '../settings/config-changes.service';
import { AuditService } from '../audit/audit.service';
import { DirectoriesService, saveUnique } from './directories.service';
import { GroupQueryDto } from './dto/group.dto';
import { GroupEntity } from './group.entity';
import { MembershipEntity } from './membership.entity';
import { compareNames, nameKey } from '../identity/identity-rules';
import { UserEntity } from './user.entity';

export interface GroupView {
  id: string;
  name: string;
  directoryId: string;
}

@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly directories: DirectoriesService,
    private readonly audit: AuditService,
    private readonly changes: ConfigChanges,
  ) {}

  async list(directoryId: string, query: GroupQueryDto): Promise<Page<GroupView>> {
    await this.directories.get(directoryId);
    const builder = this.dataSource
      .getRepository(GroupEntity)
      .createQueryBuilder('g')
      .where('g.directory_id = :directoryId', { directoryId });
    if (query.search) builder.andWhere(`g.name_key LIKE :search ESCAPE '!'`, { search: `%${escapeLike(nameKey(query.search))}%` });
    const [items, total] = await builder.orderBy('g.name_key', 'ASC').take(query.limit).skip(query.offset).getManyAndCount();
    return { items: items.map(toGroupView), total };
  }

  async create(directoryId: string, name: string, actor: string): Promise<GroupView> {
    return this.transactions.run(async (manager) => {
      await this.directories.get(directoryId, manager);
      if (await manager.existsBy(GroupEntity, { directoryId, nameKey: nameKey(name) })) {
        throw new DomainError(ErrorCode.CONFLICT, `Group "${name}" already exists in this directory`);
      }
      const group = manager.create(GroupEntity, { directoryId, name, nameKey: nameKey(name) });
      await saveUnique(manager, group, `Group "${name}" already exists in this directory`);
      await this.audit.configChange(manager, actor, { action: 'group.created', group: name }, { directoryId });
      await this.changes.changed(manager);
      return toGroupView(group);
    });
  }

  async delete(directoryId: string, name: string, actor: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.directories.get(directoryId, manager);
      const key = nameKey(name);
      const group = await manager.findOneBy(GroupEntity, { directoryId, nameKey: key });
      if (!group || group.nameKey !== key) throw new DomainError(ErrorCode.NOT_FOUND, `No group "${name.slice(0, 255)}" in this directory`);
      await manager.delete(MembershipEntity, { groupId: group.id });
      await manager.delete(GroupEntity, { id: group.id });
      await this.audit.configChange(manager, actor, { action: 'group.deleted', group: group.name }, { directoryId });
      await this.changes.changed(manager);
    });
  }

  /** The groups with these names in a directory, created when missing if `create`. */
  async resolve(manager: EntityManager, directoryId: string, names: string[], create: boolean): Promise<GroupEntity[]> {
    const keys = [...new Set(names.map(nameKey))];
    if (keys.length === 0) return [];
    const found = await manager.findBy(GroupEntity, { directoryId, nameKey: In(keys) });
    if (!create) return found;
    const have = new Set(found.map((group) => group.nameKey));
    const created: GroupEntity[] = [];
    for (const name of names) {
      const key = nameKey(name);
      if (have.has(key)) continue;
      have.add(key);
      // A concurrent creation fails this insert: the caller's transaction is retried on a fresh snapshot.
      const group = manager.create(GroupEntity, { directoryId, name, nameKey: key });
      await manager.insert(GroupEntity, group);
      created.push(group);
    }
    return created.length ? [...found, ...created] : found;
  }

  /** Group names of each user, sorted. */
  async namesByUser(manager: EntityManager, userIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return result;
    const rows = await manager
      .createQueryBuilder(MembershipEntity, 'm')
      .innerJoin(GroupEntity, 'g', 'g.id = m.group_id')
      .select(['m.user_id AS userId', 'g.id AS groupId', 'g.name AS name'])
      .where('m.user_id IN (:...userIds)', { userIds })
      .getRawMany<{ userId: string; groupId: string; name: string }>();
    // Deduplicated here by group id (a group may be granted by several origins): a SQL DISTINCT
    // on the name would merge café and cafe under MySQL's case- and accent-insensitive collation.
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(`${row.userId}/${row.groupId}`)) continue;
      seen.add(`${row.userId}/${row.groupId}`);
      result.get(row.userId)?.push(row.name);
    }
    for (const names of result.values()) names.sort(compareNames);
    return result;
  }
}

export function toGroupView(group: GroupEntity): GroupView {
  return { id: group.id, name: group.name, directoryId: group.directoryId };
}
