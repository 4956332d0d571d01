import { Injectable } from '@nestjs/common';
import type { AlbSettings } from '../config/alb-settings.service';
import { ConfigSnapshotService } from '../config/config-snapshot.service';
import { MappingService } from '../mapping/mapping.service';
import type { ConnectorLogin } from '../mapping/mapping.types';
import type { ConnectorEntity } from '../store/connector.entity';
import type { StoreTx } from '../store/store-tx';
import { LoadedLoginFacts, LoginFactsReader } from './login-facts.reader';
import { PlannedLogin, planLogin } from './login-planner';
import { LoginPreview, toPreview } from './login-preview';

/**
 * Reads what a mapped login may touch and lets the pure planner decide; never writes. The login's
 * transaction plans with it, and so do the connector preview and the admin-lockout forecast, so a
 * preview shows what a login does.
 */
@Injectable()
export class LoginPlanning {
  constructor(
    private readonly facts: LoginFactsReader,
    private readonly mapping: MappingService,
    private readonly config: ConfigSnapshotService,
  ) {}

  /** The plan, and the facts it was made from (the writer grants the stored groups by id). */
  async plan(connector: ConnectorEntity, { mapped, primaryKey, fingerprint }: ConnectorLogin, settings: Pick<AlbSettings, 'accessGroups' | 'protectedGroups'>, tx?: StoreTx): Promise<{ plan: PlannedLogin; facts: LoadedLoginFacts }> {
    const facts = await this.facts.load(connector, mapped, primaryKey, tx);
    const plan = planLogin({ connector, mapped, primaryKey, accessGroups: settings.accessGroups, protectedGroups: settings.protectedGroups, facts, fingerprint });
    return { plan, facts };
  }

  /**
   * The plan a login with these claims would follow under this connector and these settings
   * (which may be a change not saved yet), read in `tx`.
   */
  async planClaims(connector: ConnectorEntity, claims: Record<string, unknown>, accessClaims: Record<string, unknown>, settings: AlbSettings, tx?: StoreTx): Promise<PlannedLogin> {
    return (await this.plan(connector, this.mapping.mapClaims(connector, claims, accessClaims), settings, tx)).plan;
  }

  /** POST /connectors/:id/preview: what a login with these claims would do. */
  async preview(connector: ConnectorEntity, claims: Record<string, unknown>, accessClaims: Record<string, unknown> = {}): Promise<LoginPreview> {
    const { settings } = await this.config.get();
    return toPreview(await this.planClaims(connector, claims, accessClaims, settings));
  }
}
