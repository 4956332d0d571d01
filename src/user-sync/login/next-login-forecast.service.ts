import { Injectable } from '@nestjs/common';
import type { VerifiedAlbToken } from '../../alb-auth/verifier/alb-token.types';
import type { ErrorCode } from '../../common/errors/error-code.enum';
import { randomUUID } from 'node:crypto';
import { AdminSafeguard } from '../config/admin-safeguard.service';
import { AlbSettings } from '../config/alb-settings.service';
import { ConfigSnapshotService } from '../config/config-snapshot.service';
import { lookupKey, nameKey } from '../identity/identity-rules';
import { MappingService } from '../mapping/mapping.service';
import { ConnectorEntity } from '../store/connector.entity';
import { ConnectorsStore } from '../store/connectors.store';
import { GroupsStore } from '../store/groups.store';
import { MANUAL_ORIGIN } from '../store/membership-origin';
import { StoreTx } from '../store/store-tx';
import { UsersStore } from '../store/users.store';
import { DirectoryLogin } from './directory-login.service';
import { LoginPlanning } from './login-planning.service';

/** What an identity's next login would give, under settings (and a connector) not saved yet. */
export type LoginForecast =
  | { refusal: { code: ErrorCode; reason: string }; where: string }
  | { username: string; groups: string[]; admin: boolean; where: string };

/** A change to forecast: the settings after it, and the connector after it when the change edits one. */
export interface ForecastChange {
  settings: AlbSettings;
  connector?: ConnectorEntity;
}

/**
 * The login an identity would make after a settings or connector change, computed as the login
 * computes it (the same planner, the same directory lookup) without writing: so that a change
 * that would take an admin's rights away can say so before it is saved; `carryOverAdmins` writes
 * what keeps them admins.
 */
@Injectable()
export class NextLoginForecast {
  constructor(
    private readonly planning: LoginPlanning,
    private readonly mapping: MappingService,
    private readonly directoryLogin: DirectoryLogin,
    private readonly config: ConfigSnapshotService,
    private readonly connectors: ConnectorsStore,
    private readonly groups: GroupsStore,
    private readonly users: UsersStore,
    private readonly safeguard: AdminSafeguard,
  ) {}

  async forecast(token: VerifiedAlbToken, change: ForecastChange, tx: StoreTx): Promise<LoginForecast> {
    const connector = await this.connectorOf(change, tx);
    // The login's own mapping step: the same access-token refusal, the same claims read.
    const login = this.mapping.mapLogin({ connector, settings: change.settings }, token);
    if (connector) {
      const where = `connector "${connector.name}"`;
      if (login.via === 'access-refused') return { refusal: login.refusal, where };
      if (login.via !== 'connector') throw new Error('a connector login mapped as another');
      const { plan } = await this.planning.plan(connector, login, change.settings, tx);
      if (plan.refusal) return { refusal: plan.refusal, where };
      return { username: plan.user?.username ?? '', groups: plan.groups, admin: this.isAdmin(plan.groups), where };
    }
    const username = login.via === 'directories' ? login.username : '';
    const snapshot = await this.config.get();
    const { outcome } = await this.directoryLogin.decide(snapshot, change.settings, change.settings.usernameClaim, lookupKey(username) === null ? '' : username, tx);
    const where = `the directories (user sync off, claim ${change.settings.usernameClaim})`;
    if ('refusal' in outcome) return { refusal: outcome.refusal, where };
    return { username: outcome.user.username, groups: outcome.groups, admin: this.isAdmin(outcome.groups), where };
  }

  /**
   * Carries the admins over to the directory a change's login path leads to (user sync on): each
   * active admin the current path reaches, bound to a primary key, gets there the same identity
   * (found by that key, or copied with it) holding the admin groups by hand, so that its next login
   * through the new connector, which finds users by that key first, is still an admin's. An admin
   * without a key, or whose username is held there by another identity, is skipped: a username
   * alone would let whoever maps to it first bind to the admin. Returns the usernames carried over.
   */
  async carryOverAdmins(change: ForecastChange, tx: StoreTx): Promise<string[]> {
    const connector = await this.connectorOf(change, tx);
    if (!connector) return [];
    const target = connector.directoryId;
    const carried: string[] = [];
    let adminGroups: Array<{ id: string; nameKey: string }> | undefined;
    for (const admin of await this.safeguard.activeAdmins(tx)) {
      if (admin.directoryId === target) continue;
      const user = await this.users.byId(admin.directoryId, admin.userId, tx);
      if (!user?.externalId || !user.externalIdHash) continue;
      const byKey = await this.users.byExternalIdHash(target, user.externalIdHash, tx);
      const byName = await this.users.byUsernameKey(target, user.usernameKey, tx);
      if (byKey && byKey.externalId !== user.externalId) continue;
      if (byName && byName.id !== byKey?.id) continue;
      let id = byKey?.id;
      if (!id) {
        id = randomUUID();
        await this.users.insert(tx, {
          id,
          directoryId: target,
          username: user.username,
          usernameKey: user.usernameKey,
          usernameSkeleton: user.usernameSkeleton,
          displayName: user.displayName,
          email: user.email,
          active: true,
          attributes: user.attributes ?? {},
          externalId: user.externalId,
          externalIdHash: user.externalIdHash,
          lastLoginAt: null,
        });
      }
      adminGroups ??= await this.groups.resolve(tx, target, this.adminNames(), true);
      const held = new Set((await this.groups.memberships([id], tx)).filter((row) => row.origin === MANUAL_ORIGIN).map((row) => row.nameKey));
      const missing = adminGroups.filter((group) => !held.has(group.nameKey));
      await this.groups.grant(tx, target, id, missing.map((group) => group.id), MANUAL_ORIGIN);
      carried.push(user.username);
    }
    return carried;
  }

  private adminNames(): string[] {
    return this.safeguard.adminGroups;
  }

  private isAdmin(groups: readonly string[]): boolean {
    return groups.some((group) => this.safeguard.isAdminGroup(group));
  }

  /** The enabled JIT connector the settings choose (the edited one when it is that), or null: user sync off. */
  private async connectorOf(change: ForecastChange, tx: StoreTx): Promise<ConnectorEntity | null> {
    const { enabled, connectorId } = change.settings.userSync;
    if (!enabled || !connectorId) return null;
    // An edited connector keeps its id and version until saved: mapped as unsaved, never from what was compiled for the stored one.
    const connector = change.connector?.id === connectorId ? Object.assign(new ConnectorEntity(), change.connector, { unsaved: true }) : await this.connectors.byId(connectorId, tx);
    return connector && connector.enabled && connector.type === 'jit' ? connector : null;
  }
}
