import { Injectable, Logger } from '@nestjs/common';
import { AlbPrincipal, AlbPrincipalResolver } from '../../alb-auth/alb-principal';
import { VerifiedAlbToken } from '../../alb-auth/verifier/alb-token.types';
import { isDatabaseUnavailable } from '../../common/errors/database-unavailable';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { metrics } from '../../common/metrics';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { ConfigSnapshotService } from '../config/config-snapshot.service';
import { lookupKey } from '../identity/identity-rules';
import { MappingService } from '../mapping/mapping.service';
import type { MappedLogin } from '../mapping/mapping.types';
import { LoginTransaction } from './login-transaction';
import { SignInActivity } from './sign-in-activity';
import type { LoginOutcome } from './principal';

export type { UserSyncPrincipal } from './principal';

/** How long an outcome is remembered: user-store changes made outside the admin API show within it. */
const OUTCOME_TTL_MS = 30_000;
/** Logins remembered (sync on, as many as before the mapping step: that cache held two keys a login in 10,000). */
const MAX_OUTCOMES = 5_000;

/**
 * AlbAuth's principal resolver: the login of a verified token, in one pass. A token seen moments ago
 * is answered from memory, without a promise; otherwise the mapping step maps its claims once
 * (MappingService.mapLogin), an outcome remembered for that mapped login answers, and else the
 * login's transaction (LoginTransaction: facts, pure planner, writer) decides it. Outcomes are
 * forgotten on any configuration change (seen within seconds on every instance) and after 30 s.
 */
@Injectable()
export class LoginResolver extends AlbPrincipalResolver {
  private readonly logger = new Logger(LoginResolver.name);
  /** By verified token: its outcome, and its principal once built (the same object for all its requests). */
  private byToken = new WeakMap<VerifiedAlbToken, { outcome: LoginOutcome; principal?: AlbPrincipal }>();
  /** By what decides the outcome: the mapped login's fingerprint (sync on), the username's key (sync off). */
  private readonly byLogin = new Map<string, LoginOutcome>();

  constructor(
    private readonly config: ConfigSnapshotService,
    private readonly mapping: MappingService,
    private readonly transactions: TransactionRunner,
    private readonly transaction: LoginTransaction,
    private readonly activity: SignInActivity,
  ) {
    super();
    config.onChange(() => this.forget());
  }

  resolve(token: VerifiedAlbToken): AlbPrincipal | Promise<AlbPrincipal> {
    const known = this.byToken.get(token);
    if (known && fresh(known.outcome)) return counted('cached', () => (known.principal ??= principalOf(known.outcome, token)));
    return this.login(token);
  }

  private async login(token: VerifiedAlbToken): Promise<AlbPrincipal> {
    let outcome: LoginOutcome;
    let decision = 'cached';
    try {
      const snapshot = await this.config.get();
      const login = this.mapping.mapLogin(snapshot, token);
      const key = outcomeKey(login);
      const remembered = key === null ? undefined : this.byLogin.get(key);
      if (remembered && fresh(remembered)) outcome = remembered;
      else if (login.via === 'access-refused' && login.refusal.code === ErrorCode.KEY_UNAVAILABLE) {
        // The access token's keys are out of reach: a 503 the next request retries, not a refusal to audit.
        throw new DomainError(login.refusal.code, login.refusal.reason);
      } else {
        ({ outcome, decision } = await this.transactions.retryingStep(this.transaction, { snapshot, login }));
        if (key !== null) this.remember(key, outcome);
      }
    } catch (error) {
      throw this.outageOr(error);
    }
    if (outcome.principal?.userId) this.activity.saw(outcome.principal.userId);
    const known: { outcome: LoginOutcome; principal?: AlbPrincipal } = { outcome };
    this.byToken.set(token, known);
    return counted(decision, () => (known.principal = principalOf(outcome, token)));
  }

  private remember(key: string, outcome: LoginOutcome): void {
    this.byLogin.delete(key);
    this.byLogin.set(key, outcome);
    if (this.byLogin.size > MAX_OUTCOMES) this.byLogin.delete(this.byLogin.keys().next().value as string);
  }

  private forget(): void {
    this.byLogin.clear();
    this.byToken = new WeakMap();
  }

  /**
   * An unreachable database is the contract's 503 wherever the guard runs, also in a host app
   * without the contract's filter (whose default filter logs no HttpException: so it is logged here).
   */
  private outageOr(error: unknown): unknown {
    if (!isDatabaseUnavailable(error)) return error;
    this.logger.warn(`Database unavailable during a login: ${(error as Error)?.message ?? String(error)}`);
    return new DomainError(ErrorCode.DATABASE_UNAVAILABLE, 'The database is unavailable; try again shortly', undefined, error);
  }
}

/**
 * The key an outcome is remembered under, or null (an access-token refusal: remembered by its token
 * only). Sync off, by the lookup key, so that a refused spelling (ϴ, whose lower case is θ) never
 * shares a valid name's entry.
 */
function outcomeKey(login: MappedLogin): string | null {
  if (login.via === 'connector') return `c:${login.fingerprint}`;
  if (login.via === 'access-refused') return null;
  const usernameKey = lookupKey(login.username);
  return usernameKey === null ? `d!${login.claimName}:${login.username}` : `d:${login.claimName}:${usernameKey}`;
}

function fresh(outcome: LoginOutcome): boolean {
  return Date.now() - outcome.at <= OUTCOME_TTL_MS;
}

/** The outcome's principal with this token, or its refusal thrown. Not an object spread: on this path it cost several times Object.assign (docs/benchmarks.md). */
function principalOf(outcome: LoginOutcome, token: VerifiedAlbToken): AlbPrincipal {
  if (outcome.refusal) throw outcome.refusal;
  const principal = Object.assign({}, outcome.principal) as unknown as AlbPrincipal;
  principal.token = token;
  return principal;
}

/** Counts a login by how it was decided, and by its refusal code when it is refused. */
function counted(decision: string, principal: () => AlbPrincipal): AlbPrincipal {
  try {
    const built = principal();
    metrics.logins.inc({ decision, code: '' });
    return built;
  } catch (error) {
    metrics.logins.inc({ decision: decision === 'cached' ? 'cached' : 'refuse', code: error instanceof DomainError ? error.code : 'error' });
    throw error;
  }
}
