/** The case-insensitive key under which names and usernames are unique. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
