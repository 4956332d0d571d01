import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { escapeLike } from '../../common/database/sql';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { Page } from '../../common/pagination/page-query.dto';
import { ConfigChanges } from '../settings/config-changes.service';
import { AuditService } from '../audit/audit.service';
import { DirectoriesService } from './directories.service';
import { UpdateUserDto, UserQueryDto } from './dto/user.dto';
import { GroupsService } from './groups.service';
import { MANUAL_ORIGIN, MembershipEntity } from './membership.entity';
import { nameKey } from '../identity/identity-rules';
import { UserEntity } from './user.entity';

export interface UserView {
  id: string;
  directoryId: string;
  username: string;
  displayName: string;
  email: string;
  active: boolean;
  groups: string[];
  attributes: Record<string, string>;
  externalId: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly directories: DirectoriesService,
    private readonly groups: GroupsService,
    private readonly audit: AuditService,
    private readonly changes: ConfigChanges,
  ) {}

  async list(directoryId: string, query: UserQueryDto): Promise<Page<UserView>> {
    await this.directories.get(directoryId);
    const builder = this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.directory_id = :directoryId', { directoryId });
    if (query.search) {
      const search = `%${escapeLike(nameKey(query.search))}%`;
      builder.andWhere(
        `(u.username_key LIKE :search ESCAPE '!' OR LOWER(u.display_name) LIKE :search ESCAPE '!' OR LOWER(u.email) LIKE :search ESCAPE '!')`,
        { search },
      );
    }
    const [users, total] = await builder.orderBy('u.username_key', 'ASC').take(query.limit).skip(query.offset).getManyAndCount();
    const names = await this.groups.namesByUser(this.dataSource.manager, users.map((user) => user.id));
    return { items: users.map((user) => toUserView(user, names.get(user.id) ?? [])), total };
  }

  async get(directoryId: string, username: string): Promise<UserView> {
    await this.directories.get(directoryId);
    const user = await this.find(this.dataSource.manager, directoryId, username);
    const names = await this.groups.namesByUser(this.dataSource.manager, [user.id]);
    return toUserView(user, names.get(user.id) ?? []);
  }

  async update(directoryId: string, username: string, dto: UpdateUserDto, actor: string): Promise<UserView> {
    await this.transactions.run(async (manager) => {
      await this.directories.get(directoryId, manager);
      const user = await this.find(manager, directoryId, username);
      if (dto.active !== undefined && dto.active !== user.active) {
        await manager.update(UserEntity, { id: user.id }, { active: dto.active });
      }
      if (dto.groups !== undefined) {
        const groups = await this.groups.resolve(manager, directoryId, dto.groups, true);
        await manager.delete(MembershipEntity, { userId: user.id, origin: MANUAL_ORIGIN });
        for (const group of groups) {
          await manager.insert(MembershipEntity, { userId: user.id, groupId: group.id, origin: MANUAL_ORIGIN });
        }
      }
      await this.audit.configChange(
        manager,
        actor,
        { action: 'user.updated', ...(dto.active !== undefined && { active: dto.active }), ...(dto.groups && { manualGroups: dto.groups }) },
        { directoryId, username: user.username },
      );
      await this.changes.changed(manager);
    });
    return this.get(directoryId, username);
  }

  async delete(directoryId: string, username: string, actor: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.directories.get(directoryId, manager);
      const user = await this.find(manager, directoryId, username);
      await manager.delete(MembershipEntity, { userId: user.id });
      await manager.delete(UserEntity, { id: user.id });
      await this.audit.configChange(manager, actor, { action: 'user.deleted' }, { directoryId, username: user.username });
      await this.changes.changed(manager);
    });
  }

  private async find(manager: EntityManager, directoryId: string, username: string): Promise<UserEntity> {
    // By key, refused spellings included (an admin may need to reach a user stored before the rule),
    // and exactly: MySQL's binary collation would also match the key with trailing spaces.
    const usernameKey = nameKey(username);
    const user = await manager.findOneBy(UserEntity, { directoryId, usernameKey });
    if (!user || user.usernameKey !== usernameKey) throw new DomainError(ErrorCode.NOT_FOUND, `No user "${username.slice(0, 255)}" in this directory`);
    return user;
  }
}

export function toUserView(user: UserEntity, groups: string[]): UserView {
  return {
    id: user.id,
    directoryId: user.directoryId,
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    active: user.active,
    groups,
    attributes: user.attributes ?? {},
    externalId: user.externalId,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    lastLoginAt: user.lastLoginAt,
  };
}
