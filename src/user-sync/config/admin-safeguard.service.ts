import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { nameKey } from '../identity/identity-rules';
import { ConnectorEntity } from '../store/connector.entity';
import { ConnectorsStore } from '../store/connectors.store';
import { GroupsStore } from '../store/groups.store';
import { MANUAL_ORIGIN } from '../store/membership-origin';
import { StoreTx } from '../store/store-tx';
import { adminGroupsOf, USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../user-sync.options';
import { AlbSettings, AlbSettingsService } from './alb-settings.service';

/** A change, as the admins it leaves see it: what it takes away, and the settings or connector after it. */
export interface AdminChange {
  /** Users deactivated or deleted. */
  userIds?: readonly string[];
  /** Users whose manual grants are replaced by grants holding no admin group. */
  manualGrantsOf?: readonly string[];
  /** Directories deactivated or deleted. */
  directoryIds?: readonly string[];
  /** Groups deleted. */
  groupIds?: readonly string[];
  /** The settings after the change. */
  settings?: AlbSettings;
  /** The connector after the change (an edit of the one in use), or the id of one deleted. */
  connector?: ConnectorEntity;
  deletedConnectorId?: string;
}

/**
 * The people who run the service. An active admin is an active user whom the login path reaches
 * (user sync on: the connector's directory; off: any active directory) holding an admin group by
 * hand, or from that connector when it may grant protected groups. No path (admin API, SCIM,
 * cleanup, a directory's or group's deletion, a settings or connector change) may leave none
 * where there was one.
 */
@Injectable()
export class AdminSafeguard {
  /** The admin groups as configured (their spelling names a group created for them). */
  readonly adminGroups: string[];
  private readonly adminKeys: string[];

  constructor(
    private readonly groups: GroupsStore,
    private readonly connectors: ConnectorsStore,
    private readonly settings: AlbSettingsService,
    @Inject(USER_SYNC_OPTIONS) options: UserSyncModuleOptions,
  ) {
    this.adminGroups = adminGroupsOf(options);
    this.adminKeys = this.adminGroups.map(nameKey);
  }

  /** The active admins the login path reaches, now or after `change`; `lock` holds their grants until the transaction ends. */
  async activeAdmins(tx: StoreTx, change: AdminChange = {}, lock = false): Promise<Array<{ userId: string; directoryId: string }>> {
    const settings = change.settings ?? (await this.settings.get(tx));
    const connectorId = settings.userSync.enabled ? settings.userSync.connectorId : null;
    let connector: ConnectorEntity | null = null;
    if (connectorId && connectorId !== change.deletedConnectorId) {
      connector = change.connector?.id === connectorId ? change.connector : await this.connectors.byId(connectorId, tx);
      if (connector && (!connector.enabled || connector.type !== 'jit')) connector = null;
    }
    const origins = [MANUAL_ORIGIN, ...(connector?.groups?.allowProtectedGroups ? [connector.id] : [])];
    const admins = await this.groups.holders(
      this.adminKeys,
      origins,
      { directoryId: connector?.directoryId ?? null, excludeGroupIds: [...(change.groupIds ?? [])], excludeManualOf: [...(change.manualGrantsOf ?? [])], lock },
      tx,
    );
    const users = new Set(change.userIds ?? []);
    const directories = new Set(change.directoryIds ?? []);
    return admins.filter((admin) => !users.has(admin.userId) && !directories.has(admin.directoryId));
  }

  /** Throws 409 LAST_ADMIN when the change would leave no active admin where there is one now. */
  async assertAdminsRemain(tx: StoreTx, change: AdminChange, what: string): Promise<void> {
    if ((await this.activeAdmins(tx, {}, true)).length === 0) return;
    if ((await this.activeAdmins(tx, change)).length > 0) return;
    throw new DomainError(
      ErrorCode.LAST_ADMIN,
      `${what} would leave no active admin (an active user the login path reaches, holding ${this.adminKeys.join(' or ')} by hand): make another user an admin first (PATCH …/users/:username {"groups": [...]})`,
    );
  }

  /** Whether a group name is one of the admin groups (by name key). */
  isAdminGroup(name: string): boolean {
    return this.adminKeys.includes(nameKey(name));
  }
}
