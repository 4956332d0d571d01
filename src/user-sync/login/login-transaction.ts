import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import type { TransactionStep } from '../../database/transaction-runner.service';
import type { ConfigSnapshot } from '../config/config-snapshot.service';
import type { AccessRefusedLogin, ConnectorLogin, DirectoryLoginClaim, MappedLogin } from '../mapping/mapping.types';
import type { ConnectorEntity } from '../store/connector.entity';
import type { StoreTx } from '../store/store-tx';
import { UsersStore } from '../store/users.store';
import { USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../user-sync.options';
import { DirectoryLogin } from './directory-login.service';
import { lastLoginDue, lastLoginInterval } from './last-login';
import { PlannedUser } from './login-plan';
import { LoginPlanning } from './login-planning.service';
import { LoginWriter } from './login-writer.service';
import type { LoginOutcome } from './principal';

export interface LoginStepInput {
  snapshot: ConfigSnapshot;
  login: MappedLogin;
}

export interface LoginStepResult {
  outcome: LoginOutcome;
  /** How it was decided, for the login metric: create, update, rename, unchanged, refuse, lookup. */
  decision: string;
}

/**
 * A login's transaction, handed to TransactionRunner.retryingStep: the plan made once from facts
 * read in it (LoginPlanning: the facts reader, the pure planner), the writer applying it in the
 * same transaction. A retry
 * (a concurrent login made the same user first) runs all of it again on a fresh snapshot.
 */
@Injectable()
export class LoginTransaction implements TransactionStep<LoginStepInput, LoginStepResult> {
  private readonly lastLoginIntervalMs: number;

  constructor(
    private readonly planning: LoginPlanning,
    private readonly writer: LoginWriter,
    private readonly directoryLogin: DirectoryLogin,
    private readonly users: UsersStore,
    @Inject(USER_SYNC_OPTIONS) options: UserSyncModuleOptions,
  ) {
    this.lastLoginIntervalMs = lastLoginInterval(options);
  }

  run(tx: StoreTx, { snapshot, login }: LoginStepInput): Promise<LoginStepResult> {
    if (login.via === 'connector') return this.viaConnector(tx, snapshot, snapshot.connector as ConnectorEntity, login);
    if (login.via === 'directories') return this.viaDirectories(tx, snapshot, login);
    return this.accessRefused(tx, snapshot.connector as ConnectorEntity, login);
  }

  private async viaConnector(tx: StoreTx, snapshot: ConfigSnapshot, connector: ConnectorEntity, login: ConnectorLogin): Promise<LoginStepResult> {
    const { plan, facts } = await this.planning.plan(connector, login, snapshot.settings, tx);
    let userId = plan.existingId;
    if (plan.decision !== 'unchanged' || plan.refusal || lastLoginDue(plan.existingLastLogin, this.lastLoginIntervalMs)) {
      userId = await this.writer.apply(tx, connector, plan, facts.storedGroups);
    }
    if (plan.refusal) return { outcome: refused(plan.refusal.code, plan.refusal.reason), decision: plan.decision };
    const user = plan.user as PlannedUser;
    const directory = snapshot.directories.get(connector.directoryId);
    const outcome = granted({
      username: user.username,
      groups: plan.groups,
      user: { username: user.username, displayName: user.displayName, email: user.email, active: user.active, attributes: user.attributes },
      directory: { id: directory?.id ?? '', name: directory?.name ?? '' },
      userId,
    });
    return { outcome, decision: plan.decision };
  }

  /** User sync off: the user must already be in an active directory (first in `position` order wins). */
  private async viaDirectories(tx: StoreTx, snapshot: ConfigSnapshot, { claimName, username }: DirectoryLoginClaim): Promise<LoginStepResult> {
    const { outcome: planned, user } = await this.directoryLogin.decide(snapshot, snapshot.settings, claimName, username, tx);
    if ('refusal' in planned) {
      await this.writer.refused(tx, username || null, planned.refusal.code, planned.refusal.reason);
      return { outcome: refused(planned.refusal.code, planned.refusal.reason), decision: 'lookup' };
    }
    const found = user!;
    if (lastLoginDue(found.lastLoginAt, this.lastLoginIntervalMs)) await this.users.touchLastLogin(found.id, new Date(), tx);
    const directory = snapshot.directories.get(found.directoryId);
    const outcome = granted({
      username: found.username,
      groups: planned.groups,
      user: { username: found.username, displayName: found.displayName, email: found.email, active: found.active, attributes: found.attributes ?? {} },
      directory: { id: directory?.id ?? '', name: directory?.name ?? '' },
    });
    return { outcome, decision: 'lookup' };
  }

  /** A connector that maps access-token claims, and no usable access token: refused and audited. */
  private async accessRefused(tx: StoreTx, connector: ConnectorEntity, { refusal, username }: AccessRefusedLogin): Promise<LoginStepResult> {
    // Audited under the username the mapping gives from the ALB token's own claims (docs/audit-events.md).
    await this.writer.refused(tx, username, refusal.code, refusal.reason, connector);
    return { outcome: refused(refusal.code, refusal.reason), decision: 'refuse' };
  }
}

function granted(principal: NonNullable<LoginOutcome['principal']>): LoginOutcome {
  return { principal, refusal: null, at: Date.now() };
}

function refused(code: ErrorCode, reason: string): LoginOutcome {
  return { principal: null, refusal: new DomainError(code, reason), at: Date.now() };
}
