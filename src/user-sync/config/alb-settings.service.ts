import { LogoutSettings, LogoutSettingsSource } from '../../alb-auth/logout/logout-settings';
import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { DomainError } from '../../common/errors/domain-error';
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
  logout: { deleteSessionCookie: boolean; redirectUrl: string | null };
}

/** A change to the settings: what is given replaces what is stored (the admin API's body, validated). */
export interface AlbSettingsChange {
  usernameClaim?: string;
  userSync?: Partial<AlbSettings['userSync']>;
  accessGroups?: string[];
  logout?: Partial<AlbSettings['logout']>;
}

export const DEFAULT_SETTINGS: AlbSettings = {
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
  ) {}

  /** GET /logout follows the admin-editable settings (AlbAuth's LogoutSettingsSource port). */
  async logoutSettings(): Promise<LogoutSettings> {
    return (await this.get()).logout;
  }

  async get(tx?: StoreTx): Promise<AlbSettings> {
    const row = await this.store.read(tx);
    return row ? toSettings(row) : structuredClone(DEFAULT_SETTINGS);
  }

  async put(dto: AlbSettingsChange, actor: string): Promise<AlbSettings> {
    return this.transactions.run(async (tx) => {
      const current = await this.get(tx);
      const next: AlbSettings = {
        usernameClaim: dto.usernameClaim ?? current.usernameClaim,
        userSync: { ...current.userSync, ...withoutUndefined(dto.userSync ?? {}) },
        accessGroups: dto.accessGroups ?? current.accessGroups,
        logout: { ...current.logout, ...withoutUndefined(dto.logout ?? {}) },
      };
      const connectorId = next.userSync.connectorId;
      if (connectorId && !(await this.connectors.exists(connectorId, tx))) {
        throw new DomainError(ErrorCode.NOT_FOUND, `No connector ${connectorId}`);
      }
      if (next.userSync.enabled && !connectorId) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'userSync.connectorId: required when userSync.enabled is true');
      }
      await this.store.write(tx, {
        usernameClaim: next.usernameClaim,
        userSyncEnabled: next.userSync.enabled,
        userSyncConnectorId: connectorId,
        accessGroups: next.accessGroups,
        logoutDeleteSessionCookie: next.logout.deleteSessionCookie,
        logoutRedirectUrl: next.logout.redirectUrl,
      });
      await this.audit.configChange(tx, actor, { action: 'settings.updated', changes: Object.keys(dto) }, { connectorId });
      await this.changes.changed(tx);
      return next;
    });
  }
}

function toSettings(row: AlbSettingsEntity): AlbSettings {
  return {
    usernameClaim: row.usernameClaim,
    userSync: { enabled: row.userSyncEnabled, connectorId: row.userSyncConnectorId },
    accessGroups: row.accessGroups ?? [],
    logout: { deleteSessionCookie: row.logoutDeleteSessionCookie, redirectUrl: row.logoutRedirectUrl },
  };
}
