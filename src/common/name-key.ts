/**
 * The key under which usernames and group names are compared and unique: Unicode NFC, then lower
 * case. The one case-folding of names, for AlbAuth's @RequireGroups as for UserSync's store
 * (whose identity rule, in user-sync/identity, also says which names are accepted at all).
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
