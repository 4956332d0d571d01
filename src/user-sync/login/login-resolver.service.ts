import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AlbPrincipal, AlbPrincipalResolver } from '../../alb-auth/alb-principal';
import { VerifiedAlbToken } from '../../alb-auth/verifier/alb-token.types';
import { isDatabaseUnavailable } from '../../common/errors/database-unavailable';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { metrics } from '../../common/metrics';
import { TransactionRunner } from '../../database/transaction-runner.service';
import { AlbSettings } from '../config/alb-settings.service';
import { ConfigSnapshot, ConfigSnapshotService } from '../config/config-snapshot.service';
import { lookupKey, readPrimaryKey } from '../identity/identity-rules';
import { asInput, lookup, MappingService, readsAccessClaims } from '../mapping/mapping.service';
import { MappingResult } from '../mapping/mapping.types';
import { ConnectorEntity } from '../store/connector.entity';
import { DirectoryEntity } from '../store/directory.entity';
import { StoreTx } from '../store/store-tx';
import { USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../user-sync.options';
import { DirectoryLogin } from './directory-login.service';
import { LoginCache } from './login-cache';
import { LoginFactsReader } from './login-facts.reader';
import { LoginPlan, PlannedUser } from './login-plan';
import { PlannedLogin, planLogin } from './login-planner';
import { LoginPreview, toPreview } from './login-preview';
import { lastLoginDue, lastLoginInterval } from './last-login';
import { LoginWriter, PlannedLoginWithGroups } from './login-writer.service';
import { directoryRef } from './principal';

export type { UserSyncPrincipal } from './principal';

/**
 * Runs inside AlbAuthGuard after the token is verified (AlbAuth's principal resolver port): finds
 * or provisions the user (JIT), checks application access and returns the principal. Orchestrates
 * only: the facts reader loads, the pure planner decides, the writer applies in one transaction.
 * Steady-state requests are served from a per-instance cache; an unchanged login writes nothing.
 */
@Injectable()
export class LoginResolver extends AlbPrincipalResolver {
  private readonly logger = new Logger(LoginResolver.name);
  private readonly cache = new LoginCache();
  private readonly lastLoginIntervalMs: number;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly config: ConfigSnapshotService,
    private readonly mapping: MappingService,
    private readonly facts: LoginFactsReader,
    private readonly writer: LoginWriter,
    private readonly directoryLogin: DirectoryLogin,
    @Inject(USER_SYNC_OPTIONS) options: UserSyncModuleOptions,
  ) {
    super();
    this.lastLoginIntervalMs = lastLoginInterval(options);
    config.onChange(() => this.cache.clear());
  }

  async resolve(token: VerifiedAlbToken): Promise<AlbPrincipal> {
    const known = this.resolveKnown(token);
    if (known) return known;
    const { entry, decision } = await this.resolveUncached(token).catch((error: unknown) => this.refuseOnOutage(error));
    this.cache.rememberToken(token, entry);
    return countLogin(decision, () => entry.unwrap(token));
  }

  resolveKnown(token: VerifiedAlbToken): AlbPrincipal | undefined {
    if (!this.cache.forToken(token)) return undefined;
    return countLogin('cached', () => this.cache.principalFor(token) as AlbPrincipal);
  }

  /**
   * An unreachable database is the contract's 503 wherever the guard runs, also in a host app
   * without the contract's filter (whose default filter logs no HttpException: so it is logged here).
   */
  private refuseOnOutage(error: unknown): never {
    if (!isDatabaseUnavailable(error)) throw error;
    this.logger.warn(`Database unavailable during a login: ${(error as Error)?.message ?? String(error)}`);
    throw new DomainError(ErrorCode.DATABASE_UNAVAILABLE, 'The database is unavailable; try again shortly', undefined, error);
  }

  private async resolveUncached(token: VerifiedAlbToken) {
    const snapshot = await this.config.get();
    return snapshot.connector ? this.viaConnector(snapshot, snapshot.connector, token) : this.viaDirectories(snapshot, token);
  }

  /**
   * The plan a login with these claims would follow under this connector and these settings
   * (which may be a change not saved yet), read in `tx`; writes nothing.
   */
  async planFor(connector: ConnectorEntity, claims: Record<string, unknown>, accessClaims: Record<string, unknown>, settings: AlbSettings, tx?: StoreTx): Promise<PlannedLoginWithGroups> {
    return this.plan(connector, claims, this.mapping.map(connector, claims, accessClaims), settings, undefined, tx);
  }

  /** POST /connectors/:id/preview: what a login with these claims would do; writes nothing. */
  async preview(connector: ConnectorEntity, claims: Record<string, unknown>, accessClaims: Record<string, unknown> = {}): Promise<LoginPreview> {
    const snapshot = await this.config.get();
    const mapped = this.mapping.map(connector, claims, accessClaims);
    return toPreview(await this.plan(connector, claims, mapped, snapshot.settings));
  }

  private async viaConnector(snapshot: ConfigSnapshot, connector: ConnectorEntity, token: VerifiedAlbToken) {
    let accessClaims: Record<string, unknown> = {};
    if (readsAccessClaims(connector.mappings)) {
      const access = token.access ?? { refusal: { code: ErrorCode.ACCESS_TOKEN_MISSING, reason: 'The connector maps access-token claims, but access tokens are not verified (set ALB_ACCESS_TOKEN_ISSUER)' } };
      if ('refusal' in access) {
        if (access.refusal.code === ErrorCode.KEY_UNAVAILABLE) throw new DomainError(access.refusal.code, access.refusal.reason);
        // Audited under the username the mapping gives from the ALB token's own claims (docs/audit-events.md).
        await this.writer.refused(null, this.usernameWithoutAccessClaims(connector, token), access.refusal.code, access.refusal.reason, connector);
        return { entry: LoginCache.refusal(new DomainError(access.refusal.code, access.refusal.reason)), decision: 'refuse' };
      }
      accessClaims = access.claims;
    }
    // A new token of a user seen moments ago: the same claims read, the same outcome, without mapping again.
    const inputs = this.mapping.inputs(connector, token.claims, accessClaims);
    const inputsKey = inputs && `i:${connector.id}:${connector.version}:${compactKey([asInput(lookup(token.claims, connector.primaryKey)), inputs])}`;
    const remembered = inputsKey && this.cache.get(inputsKey);
    if (remembered) return { entry: remembered, decision: 'cached' };
    const mapped = this.mapping.map(connector, token.claims, accessClaims);
    const print = fingerprint(connector, token.claims, mapped);
    const key = `c:${connector.id}:${connector.version}:${print}`;
    const cached = this.cache.get(key);
    // A refused mapping may be the clock's doing (its time budget): only a mapped login is remembered by its inputs.
    const byInputs = !mapped.rejected && inputsKey;
    if (cached) {
      if (byInputs) this.cache.set(byInputs, cached);
      return { entry: cached, decision: 'cached' };
    }

    let plan = await this.plan(connector, token.claims, mapped, snapshot.settings, print);
    let userId = plan.existingId;
    if (needsWrites(plan, this.lastLoginIntervalMs) || plan.refusal) {
      let attempt = 0;
      const planned = plan;
      ({ plan, userId } = await this.transactions.retrying(async (tx) => {
        // A new user's rows are guarded by unique indexes: a concurrent login that made them first fails
        // this attempt, and the retry plans again inside the transaction. Everything else is re-read in it.
        const reuse = attempt++ === 0 && planned.decision === 'create' && !connector.users.refuseLookalikeUsernames;
        const fresh = reuse ? planned : await this.plan(connector, token.claims, mapped, snapshot.settings, print, tx);
        const id = await this.writer.apply(tx, connector, fresh);
        return { plan: fresh, userId: id };
      }));
    }
    const directory = snapshot.directories.get(connector.directoryId);
    const entry = toEntry(plan, directory, userId);
    this.cache.set(key, entry);
    if (byInputs) this.cache.set(byInputs, entry);
    return { entry, decision: plan.decision };
  }

  private async viaDirectories(snapshot: ConfigSnapshot, token: VerifiedAlbToken) {
    const claimName = snapshot.settings.usernameClaim;
    const raw = lookup(token.claims, claimName);
    const username = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
    // Keyed by the lookup key, so that a refused spelling (ϴ, whose lower case is θ) never shares a valid name's entry.
    const usernameKey = lookupKey(username);
    const key = usernameKey === null ? `d!${username}` : `d:${usernameKey}`;
    const cached = this.cache.get(key);
    if (cached) return { entry: cached, decision: 'cached' };
    const entry = await this.directoryLogin.resolve(snapshot, claimName, username);
    this.cache.set(key, entry);
    return { entry, decision: 'lookup' };
  }

  /** The username a refused login would have had, mapped without the access token's claims (null when none). */
  private usernameWithoutAccessClaims(connector: ConnectorEntity, token: VerifiedAlbToken): string | null {
    try {
      return this.mapping.map(connector, token.claims, {}).user.username || null;
    } catch {
      return null;
    }
  }

  /** Loads what the login may touch, then lets the pure planner decide; never writes. */
  private async plan(
    connector: ConnectorEntity,
    claims: Record<string, unknown>,
    mapped: MappingResult,
    settings: AlbSettings,
    print: string = fingerprint(connector, claims, mapped),
    tx?: StoreTx,
  ): Promise<PlannedLoginWithGroups> {
    const primaryKey = readPrimaryKey(lookup(claims, connector.primaryKey));
    const facts = await this.facts.load(connector, mapped, primaryKey, tx);
    const plan = planLogin({ connector, mapped, primaryKey, accessGroups: settings.accessGroups, protectedGroups: settings.protectedGroups, facts, fingerprint: print });
    return { ...plan, storedGroups: facts.storedGroups };
  }
}

function toEntry(plan: LoginPlan, directory: DirectoryEntity | undefined, userId: string | undefined) {
  if (plan.refusal) return LoginCache.refusal(new DomainError(plan.refusal.code, plan.refusal.reason));
  const user = plan.user as PlannedUser;
  return LoginCache.principal({
    username: user.username,
    groups: plan.groups,
    user: { username: user.username, displayName: user.displayName, email: user.email, active: user.active, attributes: user.attributes },
    directory: directoryRef(directory),
    userId,
  });
}

/** Counts a login by how it was decided, and by its refusal code when unwrapping throws. */
function countLogin(decision: string, unwrap: () => AlbPrincipal): AlbPrincipal {
  try {
    const principal = unwrap();
    metrics.logins.inc({ decision, code: '' });
    return principal;
  } catch (error) {
    metrics.logins.inc({ decision: decision === 'cached' ? 'cached' : 'refuse', code: error instanceof DomainError ? error.code : 'error' });
    throw error;
  }
}

function needsWrites(plan: PlannedLogin, intervalMs: number): boolean {
  return plan.decision !== 'unchanged' || lastLoginDue(plan.existingLastLogin, intervalMs);
}

/** Everything a login's outcome depends on, without exp/iat/nbf (they change with every token). */
function fingerprint(connector: ConnectorEntity, claims: Record<string, unknown>, mapped: MappingResult): string {
  const primary = lookup(claims, connector.primaryKey);
  return digest([connector.id, connector.version, typeof primary === 'string' || typeof primary === 'number' ? primary : null, mapped.user, mapped.attributes, mapped.groups ?? null, mapped.rejected ?? null]);
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

/**
 * A cache key for `value`: its JSON while short (a SHA-256 per new token of a known user cost more
 * than the map's own hashing of 512 characters: bench record), its digest beyond, so an entry stays small.
 */
function compactKey(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length <= 512 ? json : createHash('sha256').update(json).digest('base64url');
}
