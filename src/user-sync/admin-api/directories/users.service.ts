import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../database/transaction-runner.service';
import { DomainError } from '../../../common/errors/domain-error';
import { ErrorCode } from '../../../common/errors/error-code.enum';
import { Page } from '../../../common/pagination/page-query.dto';
import { ConfigChanges } from '../../config/config-changes.service';
import { AuditStore } from '../../store/audit.store';
import { AdminSafeguard } from '../../config/admin-safeguard.service';
import { GroupsStore } from '../../store/groups.store';
import { StoreTx } from '../../store/store-tx';
import { UserEntity } from '../../store/user.entity';
import { UsersStore } from '../../store/users.store';
import { compareNames, nameKey } from '../../identity/identity-rules';
import { DirectoriesService } from './directories.service';
import { UpdateUserDto, UserQueryDto } from './user.dto';
import { UserView, UserWithMembershipsView } from './directory.view';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersStore,
    private readonly groups: GroupsStore,
    private readonly transactions: TransactionRunner,
    private readonly directories: DirectoriesService,
    private readonly audit: AuditStore,
    private readonly changes: ConfigChanges,
    private readonly safeguard: AdminSafeguard,
  ) {}

  async list(directoryId: string, query: UserQueryDto): Promise<Page<UserView>> {
    await this.directories.get(directoryId);
    const [users, total] = await this.users.page(directoryId, query.search ? nameKey(query.search) : undefined, query.limit, query.offset);
    const names = await this.groups.namesByUser(users.map((user) => user.id));
    return { items: users.map((user) => toUserView(user, names.get(user.id) ?? [])), total };
  }

  /** One user, with who granted each group: `manual` or a connector id. */
  async get(directoryId: string, username: string): Promise<UserWithMembershipsView> {
    await this.directories.get(directoryId);
    const user = await this.find(directoryId, username);
    const names = await this.groups.namesByUser([user.id]);
    const memberships = (await this.groups.memberships([user.id]))
      .map((row) => ({ group: row.name, origin: row.origin }))
      .sort((a, b) => compareNames(a.group, b.group) || (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0));
    return { ...toUserView(user, names.get(user.id) ?? []), memberships };
  }

  async update(directoryId: string, username: string, dto: UpdateUserDto, actor: string): Promise<UserView> {
    await this.transactions.run(async (tx) => {
      await this.directories.get(directoryId, tx);
      const user = await this.find(directoryId, username, tx);
      const dropsManualAdmin = dto.groups !== undefined && !dto.groups.some((group) => this.safeguard.isAdminGroup(group));
      if (dto.active === false || dropsManualAdmin) {
        await this.safeguard.assertAdminsRemain(tx, { userIds: dto.active === false ? [user.id] : [], manualGrantsOf: dropsManualAdmin ? [user.id] : [] }, `This change to ${user.username}`);
      }
      if (dto.active !== undefined && dto.active !== user.active) await this.users.update(tx, user.id, { active: dto.active });
      if (dto.groups !== undefined) {
        const groups = await this.groups.resolve(tx, directoryId, dto.groups, true);
        await this.groups.replaceManual(tx, user.id, groups.map((group) => group.id));
      }
      await this.audit.configChange(
        tx,
        actor,
        { action: 'user.updated', ...(dto.active !== undefined && { active: dto.active }), ...(dto.groups && { manualGroups: dto.groups }) },
        { directoryId, username: user.username },
      );
      await this.changes.changed(tx);
    });
    return this.get(directoryId, username);
  }

  async delete(directoryId: string, username: string, actor: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.directories.get(directoryId, tx);
      const user = await this.find(directoryId, username, tx);
      await this.safeguard.assertAdminsRemain(tx, { userIds: [user.id] }, `Deleting ${user.username}`);
      await this.users.delete(tx, user.id);
      await this.audit.configChange(tx, actor, { action: 'user.deleted' }, { directoryId, username: user.username });
      await this.changes.changed(tx);
    });
  }

  /** By key, refused spellings included: an admin may need to reach a user stored before the rule. */
  private async find(directoryId: string, username: string, tx?: StoreTx): Promise<UserEntity> {
    const user = await this.users.byUsernameKey(directoryId, nameKey(username), tx);
    if (!user) throw new DomainError(ErrorCode.NOT_FOUND, `No user "${username.slice(0, 255)}" in this directory`);
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
