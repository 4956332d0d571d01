import { AlbPrincipal } from '../../alb-auth/alb-principal';
import { VerifiedAlbToken } from '../../alb-auth/verifier/alb-token.types';
import { DomainError } from '../../common/errors/domain-error';

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

type PrincipalFields = { username: string; groups: string[]; [extra: string]: unknown };

/** A login outcome: a principal, or the refusal to repeat. */
export class CachedOutcome {
  constructor(
    private readonly principal: PrincipalFields | null,
    private readonly error: DomainError | null,
    readonly at = Date.now(),
  ) {}

  unwrap(token: VerifiedAlbToken): AlbPrincipal {
    if (this.error) throw this.error;
    // Not an object spread: on Node 20 a spread here cost several times Object.assign (bench record).
    const principal = Object.assign({}, this.principal as PrincipalFields) as AlbPrincipal;
    principal.token = token;
    return principal;
  }
}

/**
 * Recent login outcomes of this instance, by the login's fingerprint (mapped claims + connector
 * version), and by verified token for tokens seen again. Cleared on any configuration change
 * (seen within seconds on every instance); entries live at most 30 s, so user-store changes made
 * outside the admin API are picked up too.
 */
export class LoginCache {
  private readonly byKey = new Map<string, CachedOutcome>();
  /** By verified token: its outcome, and its principal once built (freed with the token). */
  private byToken = new WeakMap<VerifiedAlbToken, { outcome: CachedOutcome; principal?: AlbPrincipal }>();

  static principal(fields: PrincipalFields): CachedOutcome {
    return new CachedOutcome(fields, null);
  }

  static refusal(error: DomainError): CachedOutcome {
    return new CachedOutcome(null, error);
  }

  get(key: string): CachedOutcome | undefined {
    const entry = this.byKey.get(key);
    if (entry && Date.now() - entry.at > TTL_MS) {
      this.byKey.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, entry: CachedOutcome): void {
    this.byKey.delete(key);
    this.byKey.set(key, entry);
    if (this.byKey.size > MAX_ENTRIES) this.byKey.delete(this.byKey.keys().next().value as string);
  }

  forToken(token: VerifiedAlbToken): CachedOutcome | undefined {
    const outcome = this.byToken.get(token)?.outcome;
    return outcome && Date.now() - outcome.at <= TTL_MS ? outcome : undefined;
  }

  /**
   * The principal of a token whose outcome is remembered (undefined when it is not; its refusal
   * is thrown): the same object for all of that token's requests. Building it per request was a
   * measurable share of a known token's request, with its garbage (README, Benchmarks).
   */
  principalFor(token: VerifiedAlbToken): AlbPrincipal | undefined {
    const entry = this.byToken.get(token);
    if (!entry || Date.now() - entry.outcome.at > TTL_MS) return undefined;
    return (entry.principal ??= entry.outcome.unwrap(token));
  }

  rememberToken(token: VerifiedAlbToken, outcome: CachedOutcome): void {
    this.byToken.set(token, { outcome });
  }

  clear(): void {
    this.byKey.clear();
    this.byToken = new WeakMap();
  }
}
