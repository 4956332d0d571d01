import { LogoutSettings, LogoutSettingsSource } from '../../alb-auth/logout/logout-settings';
import { Inject, Injectable } from '@nestjs/common';
import { adminGroupsOf, USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../user-sync.options';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { DomainError } from '../../common/errors/domain-error';
import { nameKey } from '../identity/identity-rules';
import { withoutUndefined } from '../../common/objects';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { ConfigChanges } from './config-changes.service';
import { AuditStore } from '../store/audit.store';
import { AlbSettingsEntity } from '../store/alb-settings.entity';
import { ConnectorsStore } from '../store/connectors.store';
import { SettingsStore } from '../store/settings.store';
import { StoreTx } from '../store/store-tx';

export interface AlbSettings {
  usernameClaim: string;
  userSync: { enabled: boolean; connectorId: string | null };
  accessGroups: string[];
  /** Groups no connector grants from claims unless it allows them: always the admin groups, plus those set. */
  protectedGroups: string[];
  logout: { deleteSessionCookie: boolean; redirectUrl: string | null };
}

/** A change to the settings: what is given replaces what is stored (the admin API's body, validated). */
export interface AlbSettingsChange {
  usernameClaim?: string;
  userSync?: Partial<AlbSettings['userSync']>;
  accessGroups?: string[];
  protectedGroups?: string[];
  logout?: Partial<AlbSettings['logout']>;
}

export const DEFAULT_SETTINGS: Omit<AlbSettings, 'protectedGroups'> = {
  usernameClaim: 'email',
  userSync: { enabled: false, connectorId: null },
  accessGroups: [],
  logout: { deleteSessionCookie: true, redirectUrl: null },
};

@Injectable()
export class AlbSettingsService implements LogoutSettingsSource {
  constructor(
    private readonly store: SettingsStore,
    private readonly connectors: ConnectorsStore,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditStore,
    private readonly changes: ConfigChanges,
    @Inject(USER_SYNC_OPTIONS) private readonly options: UserSyncModuleOptions,
  ) {}

  /** GET /logout follows the admin-editable settings (AlbAuth's LogoutSettingsSource port). */
  async logoutSettings(): Promise<LogoutSettings> {
    return (await this.get()).logout;
  }

  async get(tx?: StoreTx): Promise<AlbSettings> {
    const row = await this.store.read(tx);
    const adminGroups = adminGroupsOf(this.options);
    return row ? toSettings(row, adminGroups) : { ...structuredClone(DEFAULT_SETTINGS), protectedGroups: withAdminGroups([], adminGroups) };
  }

  /** `beforeWrite` sees the settings as they will be, in the transaction, and may refuse them (AdminLockout). */
  async put(dto: AlbSettingsChange, actor: string, beforeWrite?: (tx: StoreTx, next: AlbSettings) => Promise<void>): Promise<AlbSettings> {
    return this.transactions.run(async (tx) => {
      const current = await this.get(tx);
      const stored = await this.store.read(tx);
      const next: AlbSettings = {
        usernameClaim: dto.usernameClaim ?? current.usernameClaim,
        userSync: { ...current.userSync, ...withoutUndefined(dto.userSync ?? {}) },
        accessGroups: dto.accessGroups ?? current.accessGroups,
        protectedGroups: dto.protectedGroups ?? current.protectedGroups,
        logout: { ...current.logout, ...withoutUndefined(dto.logout ?? {}) },
      };
      const connectorId = next.userSync.connectorId;
      if (connectorId && !(await this.connectors.exists(connectorId, tx))) {
        throw new DomainError(ErrorCode.NOT_FOUND, `No connector ${connectorId}`);
      }
      if (next.userSync.enabled && !connectorId) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'userSync.connectorId: required when userSync.enabled is true');
      }
      await beforeWrite?.(tx, next);
      await this.store.write(tx, {
        usernameClaim: next.usernameClaim,
        userSyncEnabled: next.userSync.enabled,
        userSyncConnectorId: connectorId,
        accessGroups: next.accessGroups,
        // Only what is protected beyond the admin groups is stored: those are always protected, whatever ADMIN_GROUPS becomes.
        protectedGroups: withoutAdminGroups(dto.protectedGroups ?? stored?.protectedGroups ?? [], adminGroupsOf(this.options)),
        logoutDeleteSessionCookie: next.logout.deleteSessionCookie,
        logoutRedirectUrl: next.logout.redirectUrl,
      });
      await this.audit.configChange(tx, actor, { action: 'settings.updated', changes: Object.keys(withoutUndefined(dto)) }, { connectorId });
      await this.changes.changed(tx);
      return next;
    });
  }
}

/** The admin groups, then the other protected groups (each once, by name key). */
function withAdminGroups(extra: string[], adminGroups: string[]): string[] {
  const seen = new Set<string>();
  return [...adminGroups, ...extra].filter((group) => !seen.has(nameKey(group)) && seen.add(nameKey(group)));
}

function withoutAdminGroups(groups: string[], adminGroups: string[]): string[] {
  const admin = new Set(adminGroups.map(nameKey));
  return withAdminGroups(groups, []).filter((group) => !admin.has(nameKey(group)));
}

function toSettings(row: AlbSettingsEntity, adminGroups: string[]): AlbSettings {
  return {
    usernameClaim: row.usernameClaim,
    userSync: { enabled: row.userSyncEnabled, connectorId: row.userSyncConnectorId },
    accessGroups: row.accessGroups ?? [],
    protectedGroups: withAdminGroups(row.protectedGroups ?? [], adminGroups),
    logout: { deleteSessionCookie: row.logoutDeleteSessionCookie, redirectUrl: row.logoutRedirectUrl },
  };
}
