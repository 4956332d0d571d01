import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../database/transaction-runner.service';
import { DomainError } from '../../../common/errors/domain-error';
import { ErrorCode } from '../../../common/errors/error-code.enum';
import { Page } from '../../../common/pagination/page-query.dto';
import { AdminSafeguard } from '../../config/admin-safeguard.service';
import { ConfigChanges } from '../../config/config-changes.service';
import { AuditStore } from '../../store/audit.store';
import { GroupEntity } from '../../store/group.entity';
import { GroupsStore } from '../../store/groups.store';
import { nameKey } from '../../identity/identity-rules';
import { DirectoriesService } from './directories.service';
import { GroupQueryDto } from './group.dto';
import { GroupView, ListedGroupView } from './directory.view';

@Injectable()
export class GroupsService {
  constructor(
    private readonly store: GroupsStore,
    private readonly transactions: TransactionRunner,
    private readonly directories: DirectoriesService,
    private readonly audit: AuditStore,
    private readonly changes: ConfigChanges,
    private readonly safeguard: AdminSafeguard,
  ) {}

  /** With each group's member count. */
  async list(directoryId: string, query: GroupQueryDto): Promise<Page<ListedGroupView>> {
    await this.directories.get(directoryId);
    const [items, total] = await this.store.page(directoryId, query.search ? nameKey(query.search) : undefined, query.limit, query.offset);
    const members = await this.store.memberCounts(items.map((group) => group.id));
    return { items: items.map((group) => ({ ...toGroupView(group), members: members.get(group.id) ?? 0 })), total };
  }

  async create(directoryId: string, name: string, actor: string): Promise<GroupView> {
    return this.transactions.run(async (tx) => {
      await this.directories.get(directoryId, tx);
      const conflict = `Group "${name}" already exists in this directory`;
      if (await this.store.keyTaken(directoryId, nameKey(name), tx)) throw new DomainError(ErrorCode.CONFLICT, conflict);
      const group = await this.store.insert(tx, directoryId, name, conflict);
      await this.audit.configChange(tx, actor, { action: 'group.created', group: name }, { directoryId });
      await this.changes.changed(tx);
      return toGroupView(group);
    });
  }

  async delete(directoryId: string, name: string, actor: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.directories.get(directoryId, tx);
      const group = await this.store.byKey(directoryId, nameKey(name), tx);
      if (!group) throw new DomainError(ErrorCode.NOT_FOUND, `No group "${name.slice(0, 255)}" in this directory`);
      await this.safeguard.assertAdminsRemain(tx, { groupIds: [group.id] }, `Deleting group "${group.name}"`);
      await this.store.delete(tx, group.id);
      await this.audit.configChange(tx, actor, { action: 'group.deleted', group: group.name }, { directoryId });
      await this.changes.changed(tx);
    });
  }
}

export function toGroupView(group: GroupEntity): GroupView {
  return { id: group.id, name: group.name, directoryId: group.directoryId };
}
