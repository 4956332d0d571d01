import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { VerifiedAlbToken } from '../../alb-auth/verifier/alb-token.types';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { Mapping, OnNoMatch } from '../store/connector.types';
import { MappingBudgetExceeded, MAX_MAPPED_VALUE_LENGTH, NO_MATCH, TransformFn } from './attribute-transformation.interface';
import { ConnectorLogin, MappedLogin, MappingResult } from './mapping.types';
import { TransformationRegistry } from './transformation-registry';
import { IDENTITY_LIMITS, nameKey, nameProblem, readPrimaryKey, textProblem } from '../identity/identity-rules';

/** Mapping budgets (docs/how-it-works.md "Staying up: every wait has a bound"): what one login's mapping may produce and spend. */
export const MAPPING_BUDGETS = {
  valueLength: MAX_MAPPED_VALUE_LENGTH,
  listLength: 1_000,
  totalCharacters: 1_000_000,
  milliseconds: 50,
} as const;
const MAX_PATH_DEPTH = 10;
/** A claim named in a template: `{name}`. */
const TEMPLATE_CLAIM = /\{([^{}]{1,256})\}/g;
/** Sources and template names with this prefix read the verified access token's claims. */
export const ACCESS_CLAIM_PREFIX = 'access:';

interface CompiledStep {
  fn: TransformFn;
  fillsEmpty: boolean;
}

interface CompiledMapping {
  mapping: Mapping;
  steps: CompiledStep[];
}

interface CompiledConnector {
  mappings: CompiledMapping[];
  /** Every claim name the mappings read, when built-in transformations alone run on them; else null. */
  reads: string[] | null;
}

export interface MappableConnector {
  id: string;
  version: number;
  mappings: Mapping[];
  /** An unsaved connector (a preview while editing): compiled for this call only, never cached. */
  unsaved?: boolean;
}

/** What a login is mapped under: the connector user sync uses (null: sync off) and the username claim then. */
export interface LoginMappingSource {
  connector: (MappableConnector & { primaryKey: string }) | null;
  settings: { usernameClaim: string };
}

const NOT_VERIFIED = { code: ErrorCode.ACCESS_TOKEN_MISSING, reason: 'The connector maps access-token claims, but access tokens are not verified (set ALB_ACCESS_TOKEN_ISSUER)' };
/** Mapped logins remembered by the claim values they read: the users of the last moments (each holds its mapped claims). */
const MAPPED_LOGINS = 2_000;

type Outcome = { values: string[] } | { ignored: true } | { rejected: string };

/**
 * Claims → user attributes, exactly as CONTRACT.md §6 describes. Claims are untrusted: any JSON
 * gives a defined result, never an exception.
 */
@Injectable()
export class MappingService {
  private readonly logger = new Logger(MappingService.name);
  private readonly compiled = new Map<string, CompiledConnector>();

  /** By connector, version and the values of the claims read: equal inputs, the same mapped login. */
  private readonly mappedLogins = new Map<string, ConnectorLogin>();

  constructor(private readonly registry: TransformationRegistry) {}

  /**
   * The login's mapping step: what the login of this token would be under `source`, computed once
   * for the later steps (cache, facts, planner, writer). Never throws, never reads the store.
   */
  mapLogin(source: LoginMappingSource, token: VerifiedAlbToken): MappedLogin {
    const connector = source.connector;
    if (!connector) return { via: 'directories', claimName: source.settings.usernameClaim, username: claimText(lookup(token.claims, source.settings.usernameClaim)) };
    let accessClaims: Record<string, unknown> = {};
    if (readsAccessClaims(connector.mappings)) {
      const access = token.access ?? { refusal: NOT_VERIFIED };
      if ('refusal' in access) return { via: 'access-refused', refusal: access.refusal, username: this.map(connector, token.claims, {}).user.username || null };
      accessClaims = access.claims;
    }
    // A new token of a user seen moments ago reads the same claim values: the same login, not mapped again.
    const inputs = connector.unsaved ? null : this.inputs(connector, token.claims, accessClaims);
    const key = inputs && `${connector.id}:${connector.version}:${compactKey([asInput(lookup(token.claims, connector.primaryKey)), inputs])}`;
    const known = key ? this.mappedLogins.get(key) : undefined;
    if (known) return known;
    const login = this.mapClaims(connector, token.claims, accessClaims);
    // A refused mapping may be the clock's doing (its time budget): only a mapped login is remembered.
    if (key && !login.mapped.rejected) {
      if (this.mappedLogins.size >= MAPPED_LOGINS) this.mappedLogins.delete(this.mappedLogins.keys().next().value as string);
      this.mappedLogins.set(key, login);
    }
    return login;
  }

  /** A connector's login from these claims (a preview's, a forecast's, or a token's). */
  mapClaims(connector: MappableConnector & { primaryKey: string }, claims: Record<string, unknown>, accessClaims: Record<string, unknown> = {}): ConnectorLogin {
    const mapped = this.map(connector, claims, accessClaims);
    const primary = lookup(claims, connector.primaryKey);
    const fingerprint = digest([connector.id, connector.version, typeof primary === 'string' || typeof primary === 'number' ? primary : null, mapped.user, mapped.attributes, mapped.groups ?? null, mapped.rejected ?? null]);
    return { via: 'connector', mapped, primaryKey: readPrimaryKey(primary), fingerprint };
  }

  /**
   * @param claims the ALB token's (the IdP's user-info) claims
   * @param accessClaims the verified access token's claims, read by `access:` sources
   */
  map(connector: MappableConnector, claims: Record<string, unknown>, accessClaims: Record<string, unknown> = {}): MappingResult {
    const result: MappingResult = { user: {}, attributes: {}, policies: {}, warnings: [] };
    const budget = new MappingBudget();
    const read: ClaimReader = (name) => (name.startsWith(ACCESS_CLAIM_PREFIX) ? lookup(accessClaims, name.slice(ACCESS_CLAIM_PREFIX.length)) : lookup(claims, name));
    try {
      for (const { mapping, steps } of this.compile(connector).mappings) {
        this.apply(mapping, steps, read, result, budget);
        if (result.rejected) break;
      }
    } catch (error) {
      this.logger.error(`Mapping of connector ${connector.id} failed: ${(error as Error).message}`);
      result.rejected = { attribute: '*', reason: 'the mapping could not be applied' };
    }
    return result;
  }

  private apply(mapping: Mapping, steps: CompiledStep[], claims: ClaimReader, result: MappingResult, budget: MappingBudget): void {
    const attribute = mapping.attribute;
    const isList = attribute === 'groups';
    let source = this.read(mapping, claims, isList, result.warnings);
    if (source === undefined) {
      // `default` still fills a scalar no source gave; an absent groups claim stays absent.
      if (isList || !steps.some((step) => step.fillsEmpty)) {
        if (!isList) result.warnings.push(`no value for ${attribute}: ${describeSources(mapping)} missing or empty`);
        return;
      }
      source = [];
    }
    const outcome = runSteps(source, steps, mapping.onNoMatch ?? 'keep', isList, budget);
    if ('rejected' in outcome) {
      result.rejected = { attribute, reason: `${attribute}: ${outcome.rejected}` };
      return;
    }
    if ('ignored' in outcome) {
      result.warnings.push(`${attribute}: a transformation did not match, value ignored`);
      return;
    }
    result.policies[attribute] = mapping.update ?? 'always';
    if (isList) {
      const groups = dedupe(outcome.values.map((value) => value.trim()).filter(Boolean));
      const problem = groups.map(nameProblem).find((found) => found !== null);
      if (problem) result.rejected = { attribute, reason: `groups: a group name ${problem}` };
      else result.groups = groups;
      return;
    }
    const value = (outcome.values[0] ?? '').trim();
    const problem = valueProblem(attribute, value);
    if (problem) {
      result.rejected = { attribute, reason: `${attribute} ${problem}` };
      return;
    }
    if (attribute === 'username' || attribute === 'displayName' || attribute === 'email') result.user[attribute] = value;
    else result.attributes[attribute.slice('attributes.'.length)] = value;
  }

  /**
   * A template, else the first source with a value (lists: the first present claim). Beside
   * sources, a template counts only when every claim it names has a value; alone, a missing claim
   * reads as empty.
   */
  private read(mapping: Mapping, claims: ClaimReader, isList: boolean, warnings: string[]): string[] | undefined {
    if (mapping.template !== undefined) {
      let complete = true;
      const text = mapping.template.replace(TEMPLATE_CLAIM, (_, name: string) => {
        const value = toStrings(claims(name), name, warnings)?.[0] ?? '';
        if (value.trim() === '') complete = false;
        return value;
      });
      if (mapping.sources === undefined) return [text.trim()];
      if (complete && text.trim() !== '') return [text.trim()];
    }
    const sources = mapping.sources ?? [];
    let presentButEmpty = false;
    for (const [index, name] of sources.entries()) {
      const values = toStrings(claims(name), name, warnings);
      if (values === undefined) continue;
      const nonEmpty = values.filter((value) => value.trim() !== '');
      if (nonEmpty.length > 0) {
        if (index > 0 || mapping.template !== undefined) warnings.push(`${describeSkipped(mapping, index)}, used ${name}`);
        return isList ? nonEmpty : [nonEmpty[0]];
      }
      presentButEmpty = true;
    }
    // An empty groups claim is an answer ("no groups"); an absent one is not.
    return isList && presentButEmpty ? [] : undefined;
  }

  /**
   * What this mapping's result depends on: the values of the claims it reads, or null when a
   * custom transformation runs (it may depend on more). Equal inputs, equal mapping result.
   */
  inputs(connector: MappableConnector, claims: Record<string, unknown>, accessClaims: Record<string, unknown> = {}): unknown[] | null {
    const reads = this.compile(connector).reads;
    if (!reads) return null;
    return reads.map((name) => asInput(name.startsWith(ACCESS_CLAIM_PREFIX) ? lookup(accessClaims, name.slice(ACCESS_CLAIM_PREFIX.length)) : lookup(claims, name)));
  }

  private compile(connector: MappableConnector): CompiledConnector {
    const key = `${connector.id}:${connector.version}`;
    let compiled = connector.unsaved ? undefined : this.compiled.get(key);
    if (!compiled) {
      const pure = connector.mappings.every((mapping) => (mapping.transformations ?? []).every((step) => this.registry.isBuiltIn((step as { type?: string }).type ?? '')));
      compiled = {
        mappings: connector.mappings.map((mapping) => ({
          mapping,
          steps: (mapping.transformations ?? []).map((step) => {
            const { fn, transformation } = this.registry.compile(step);
            return { fn, fillsEmpty: transformation.fillsEmpty ?? false };
          }),
        })),
        reads: pure ? claimsRead(connector.mappings) : null,
      };
      if (connector.unsaved) return compiled;
      if (this.compiled.size > 500) this.compiled.clear();
      this.compiled.set(key, compiled);
    }
    return compiled;
  }
}

function runSteps(initial: string[], steps: CompiledStep[], onNoMatch: OnNoMatch, isList: boolean, budget: MappingBudget): Outcome {
  let values = isList ? initial : initial.slice(0, 1);
  const overInput = budget.spend(values);
  if (overInput) return { rejected: `the claim holds ${overInput}` };
  for (const step of steps) {
    if (values.length === 0 || (!isList && values[0] === '')) {
      if (!step.fillsEmpty) continue;
      values = [''];
    }
    const next: string[] = [];
    for (const value of values) {
      let output: ReturnType<TransformFn>;
      try {
        output = step.fn(value);
      } catch (error) {
        if (error instanceof MappingBudgetExceeded) return { rejected: `${error.message} (mapping budget)` };
        throw error;
      }
      if (output === NO_MATCH) {
        switch (onNoMatch) {
          case 'keep':
            next.push(value);
            break;
          case 'ignore':
            if (!isList) return { ignored: true };
            break;
          case 'clear':
            return { values: [] };
          case 'reject':
            return { rejected: `"${truncate(value)}" did not match a transformation` };
        }
      } else if (output !== null) {
        const produced = Array.isArray(output) ? output : [String(output)];
        next.push(...produced);
        const over = budget.spend(produced, next.length);
        if (over) return { rejected: `a transformation produced ${over} (mapping budget)` };
      }
    }
    values = isList ? next : next.slice(0, 1);
  }
  return { values };
}

/**
 * A claim value reduced to what the mapping can read of it (toStrings): primitives as they are, a
 * list's first items that are primitives, any object alike. Bounded, and never throws.
 */
export function asInput(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    return value.slice(0, MAPPING_BUDGETS.listLength + 1).map((item) => (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' ? item : null));
  }
  return '[object]';
}

/** A username claim's value as a login reads it: a string trimmed, a number as written, else ''. */
function claimText(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

/**
 * A memo key for `value`: its JSON while short (a SHA-256 per new token of a known user cost more
 * than the map's own hashing of 512 characters: docs/benchmarks.md), its digest beyond, so an entry stays small.
 */
function compactKey(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length <= 512 ? json : digest(json);
}

function claimsRead(mappings: readonly Mapping[]): string[] {
  const names = new Set<string>();
  for (const mapping of mappings) {
    for (const source of mapping.sources ?? []) names.add(source);
    for (const match of (mapping.template ?? '').matchAll(TEMPLATE_CLAIM)) names.add(match[1]);
  }
  return [...names];
}

/** A claim by its whole name first (`cognito:groups`, `a.b`), then as a dot path. */
type ClaimReader = (name: string) => unknown;

/** Whether any mapping reads the access token's claims (then a login needs a valid one). */
export function readsAccessClaims(mappings: readonly Mapping[]): boolean {
  return mappings.some(
    (mapping) =>
      mapping.sources?.some((source) => source.startsWith(ACCESS_CLAIM_PREFIX)) ||
      (mapping.template !== undefined && mapping.template.includes(`{${ACCESS_CLAIM_PREFIX}`)),
  );
}

export function lookup(claims: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(claims, name)) return claims[name];
  if (!name.includes('.')) return undefined;
  let current: unknown = claims;
  const parts = name.split('.');
  if (parts.length > MAX_PATH_DEPTH) return undefined;
  for (const part of parts) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function toStrings(value: unknown, name: string, warnings: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return Number.isFinite(value) ? [String(value)] : undefined;
  if (typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value)) {
    // More than the budget's list length is refused by the budget, not cut here.
    return value
      .slice(0, MAPPING_BUDGETS.listLength + 1)
      .filter((item) => typeof item === 'string' || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item)))
      .map((item) => String(item));
  }
  warnings.push(`claim ${name} is an object, ignored`);
  return undefined;
}

/** One login's mapping budget: value and list sizes, characters produced in all, and time. */
class MappingBudget {
  private characters = 0;
  private readonly deadline = performance.now() + MAPPING_BUDGETS.milliseconds;

  /** Counts values just produced (`listLength`: the list they are part of); the excess, or null. */
  spend(values: string[], listLength = values.length): string | null {
    if (listLength > MAPPING_BUDGETS.listLength) return `more than ${MAPPING_BUDGETS.listLength} values`;
    for (const value of values) {
      if (value.length > MAPPING_BUDGETS.valueLength) return `a value longer than ${MAPPING_BUDGETS.valueLength} characters`;
      this.characters += value.length;
    }
    if (this.characters > MAPPING_BUDGETS.totalCharacters) return `more than ${MAPPING_BUDGETS.totalCharacters} characters in all`;
    if (performance.now() > this.deadline) return `work beyond ${MAPPING_BUDGETS.milliseconds} ms`;
    return null;
  }
}

function truncate(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

/** Why a mapped value cannot be stored (the identity rule for usernames, lengths and characters for the rest). */
function valueProblem(attribute: string, value: string): string | null {
  if (attribute === 'username') return value === '' ? null : nameProblem(value);
  const limit = attribute === 'displayName' || attribute === 'email' ? IDENTITY_LIMITS[attribute] : IDENTITY_LIMITS.attribute;
  return textProblem(value, limit);
}

function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = nameKey(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describeSources(mapping: Mapping): string {
  const claims = mapping.sources?.length ? `claim ${mapping.sources.join(', ')}` : '';
  if (mapping.template === undefined) return claims;
  return claims ? `template ${mapping.template}, then ${claims}` : `template ${mapping.template}`;
}

/** What came before the source used: the sources before it, and the template (a claim of it). */
function describeSkipped(mapping: Mapping, index: number): string {
  const claims = (mapping.sources ?? []).slice(0, index);
  const parts = [...(mapping.template !== undefined ? [`template ${mapping.template} incomplete`] : []), ...(claims.length ? [`claim ${claims.join(', ')} missing`] : [])];
  return parts.join(', ');
}
