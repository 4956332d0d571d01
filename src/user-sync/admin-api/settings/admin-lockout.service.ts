import { Injectable } from '@nestjs/common';
import type { VerifiedAlbToken } from '../../../alb-auth/verifier/alb-token.types';
import { DomainError } from '../../../common/errors/domain-error';
import { ErrorCode } from '../../../common/errors/error-code.enum';
import { ForecastChange, LoginForecast, NextLoginForecast } from '../../login/next-login-forecast.service';
import { AuditStore } from '../../store/audit.store';
import { StoreTx } from '../../store/store-tx';
import { ConnectorEntity } from '../../store/connector.entity';
import { AdminSafeguard } from '../../config/admin-safeguard.service';

/** What the admin making a change decided about the admins' rights. */
export interface LockoutDecision {
  /** Carry every active admin over to the directory the change's login path leads to. */
  carryOverAdmins?: boolean;
  /** Save even though admin rights are lost. */
  confirmLockout?: boolean;
}

/**
 * A settings change, or a change to the connector in use, must not take admin rights away
 * without saying so: the admin making it (signed in through the ALB) would no longer be one, or no
 * active admin would remain. Either is 422 CONFIRMATION_REQUIRED with the reasons, answered by
 * `carryOverAdmins: true` (every active admin gets the same identity, holding the admin groups by
 * hand, in the directory the new login path leads to) or `confirmLockout: true`.
 */
@Injectable()
export class AdminLockout {
  constructor(
    private readonly forecast: NextLoginForecast,
    private readonly safeguard: AdminSafeguard,
    private readonly audit: AuditStore,
  ) {}

  async check(tx: StoreTx, actor: unknown, change: ForecastChange & { connector?: ConnectorEntity }, decision: LockoutDecision): Promise<void> {
    if (decision.carryOverAdmins) {
      const carried = await this.forecast.carryOverAdmins(change, tx);
      if (carried.length) await this.audit.configChange(tx, actorName(actor), { action: 'admins.carriedOver', admins: carried }, {});
    }
    const warnings: string[] = [];
    const token = albTokenOf(actor);
    // An acting admin whose next login is an admin's is an admin that remains (even one not yet provisioned there).
    let actorRemains = false;
    if (token) {
      const after = await this.forecast.forecast(token, change, tx);
      actorRemains = isAdmin(after);
      if (!actorRemains) warnings.push(`${describe(after)}: you would lose the admin API and this console`);
    }
    if (!actorRemains && (await this.safeguard.activeAdmins(tx, {}, true)).length > 0 && (await this.safeguard.activeAdmins(tx, change)).length === 0) {
      warnings.push('no active admin would remain where the login leads (no active user there holds an admin group by hand)');
    }
    if (warnings.length === 0 || decision.confirmLockout) return;
    const how = decision.carryOverAdmins ? 'even with the admins carried over: fix the access groups or the mapping' : 'Send carryOverAdmins: true to carry the admins over (you among them)';
    throw new DomainError(ErrorCode.CONFIRMATION_REQUIRED, `Not saved: ${warnings.join('; ')}. ${how}, or confirmLockout: true to save anyway`, warnings);
  }
}

function isAdmin(forecast: LoginForecast): boolean {
  return !('refusal' in forecast) && forecast.admin;
}

function describe(forecast: LoginForecast): string {
  if ('refusal' in forecast) return `after this change your next login through ${forecast.where} would be refused (${forecast.refusal.code}: ${forecast.refusal.reason})`;
  return `after this change your next login through ${forecast.where} would be ${forecast.username} with ${forecast.groups.length ? `the groups ${forecast.groups.join(', ')}` : 'no groups'}, none of them an admin group`;
}

function actorName(actor: unknown): string {
  const name = (actor as { username?: unknown } | null)?.username;
  return typeof name === 'string' ? name : 'unknown';
}

/** The verified ALB token of an admin signed in through the ALB (the admin API token has none). */
function albTokenOf(actor: unknown): VerifiedAlbToken | null {
  const token = (actor as { token?: unknown } | null)?.token;
  return typeof token === 'object' && token !== null && 'claims' in token ? (token as VerifiedAlbToken) : null;
}
