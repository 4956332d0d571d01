import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { nameKey } from '../identity/identity-rules';
import { ConnectorsStore } from '../store/connectors.store';
import { GroupsStore } from '../store/groups.store';
import { MANUAL_ORIGIN } from '../store/membership-origin';
import { StoreTx } from '../store/store-tx';
import { USER_SYNC_OPTIONS } from '../user-sync.module-definition';
import { DEFAULT_ADMIN_GROUPS, UserSyncModuleOptions } from '../user-sync.options';

/** What a change takes away: users deactivated, deleted or stripped of an admin group; directories deleted or deactivated. */
export interface AdminLoss {
  userIds?: readonly string[];
  directoryIds?: readonly string[];
}

/**
 * The people who run the service: an active admin is an active user of an active directory who
 * holds an admin group by hand (or from a connector allowed to grant protected groups). No path
 * (admin API, SCIM, cleanup, a directory's deletion) may leave none where there was one.
 */
@Injectable()
export class AdminSafeguard {
  private readonly adminKeys: string[];

  constructor(
    private readonly groups: GroupsStore,
    private readonly connectors: ConnectorsStore,
    @Inject(USER_SYNC_OPTIONS) options: UserSyncModuleOptions,
  ) {
    this.adminKeys = (options.adminGroups ?? DEFAULT_ADMIN_GROUPS).map(nameKey);
  }

  /** The active admins now, with their directories. */
  async activeAdmins(tx?: StoreTx): Promise<Array<{ userId: string; directoryId: string }>> {
    const origins = [MANUAL_ORIGIN, ...(await this.connectors.idsGrantingProtected(tx))];
    return this.groups.holders(this.adminKeys, origins, tx);
  }

  /** Throws 409 LAST_ADMIN when the change would leave no active admin where there is one now. */
  async assertAdminsRemain(tx: StoreTx, loss: AdminLoss, what: string): Promise<void> {
    const admins = await this.activeAdmins(tx);
    if (admins.length === 0) return;
    const users = new Set(loss.userIds ?? []);
    const directories = new Set(loss.directoryIds ?? []);
    if (admins.some((admin) => !users.has(admin.userId) && !directories.has(admin.directoryId))) return;
    throw new DomainError(
      ErrorCode.LAST_ADMIN,
      `${what} would leave no active admin (an active user holding ${this.adminKeys.join(' or ')} by hand): make another user an admin first (PATCH …/users/:username {"groups": [...]})`,
    );
  }

  /** Whether a group name is one of the admin groups (by name key). */
  isAdminGroup(name: string): boolean {
    return this.adminKeys.includes(nameKey(name));
  }
}
