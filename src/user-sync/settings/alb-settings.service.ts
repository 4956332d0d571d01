import { LogoutSettings, LogoutSettingsSource } from '../../alb-auth/logout/logout-settings';
import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { withoutUndefined } from '../../common/objects';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { ConfigChanges } from './config-changes.service';
import { AuditService } from '../audit/audit.service';
import { ConnectorEntity } from '../connectors/connector.entity';
import { AlbSettingsEntity } from './alb-settings.entity';
import { AlbSettingsDto } from './dto/alb-settings.dto';

export interface AlbSettings {
  usernameClaim: string;
  userSync: { enabled: boolean; connectorId: string | null };
  accessGroups: string[];
  logout: { deleteSessionCookie: boolean; redirectUrl: string | null };
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly changes: ConfigChanges,
  ) {}

  /** GET /logout follows the admin-editable settings (AlbAuth's LogoutSettingsSource port). */
  async logoutSettings(): Promise<LogoutSettings> {
    return (await this.get()).logout;
  }

  async get(manager: EntityManager = this.dataSource.manager): Promise<AlbSettings> {
    const row = await manager.findOneBy(AlbSettingsEntity, { id: 1 });
    return row ? toSettings(row) : structuredClone(DEFAULT_SETTINGS);
  }

  async put(dto: AlbSettingsDto, actor: string): Promise<AlbSettings> {
    return this.transactions.run(async (manager) => {
      const current = await this.get(manager);
      const next: AlbSettings = {
        usernameClaim: dto.usernameClaim ?? current.usernameClaim,
        userSync: { ...current.userSync, ...withoutUndefined(dto.userSync ?? {}) },
        accessGroups: dto.accessGroups ?? current.accessGroups,
        logout: { ...current.logout, ...withoutUndefined(dto.logout ?? {}) },
      };
      const connectorId = next.userSync.connectorId;
      if (connectorId && !(await manager.existsBy(ConnectorEntity, { id: connectorId }))) {
        throw new DomainError(ErrorCode.NOT_FOUND, `No connector ${connectorId}`);
      }
      if (next.userSync.enabled && !connectorId) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'userSync.connectorId: required when userSync.enabled is true');
      }
      await manager.save(
        manager.create(AlbSettingsEntity, {
          id: 1,
          usernameClaim: next.usernameClaim,
          userSyncEnabled: next.userSync.enabled,
          userSyncConnectorId: connectorId,
          accessGroups: next.accessGroups,
          logoutDeleteSessionCookie: next.logout.deleteSessionCookie,
          logoutRedirectUrl: next.logout.redirectUrl,
        }),
      );
      await this.audit.configChange(manager, actor, { action: 'settings.updated', changes: Object.keys(dto) }, { connectorId });
      await this.changes.changed(manager);
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
