/** Names that reach an object's prototype when a library merges or walks client input by key. */
export const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a client-sent key is, in any case, one of PROTOTYPE_NAMES. */
export function isPrototypeName(key: string): boolean {
  return PROTOTYPE_NAMES.has(key.toLowerCase());
}
