import type { UserSyncModuleOptions } from '../user-sync.options';

/** How often a user's lastLoginAt is written at most, by default: a login of a known user writes nothing in between. */
export const DEFAULT_LAST_LOGIN_INTERVAL_MS = 5 * 60_000;

export function lastLoginInterval(options: UserSyncModuleOptions): number {
  return options.lastLoginIntervalMs ?? DEFAULT_LAST_LOGIN_INTERVAL_MS;
}

/** Whether a login should write lastLoginAt now: never written, or written longer ago than the interval. */
export function lastLoginDue(lastLoginAt: Date | null | undefined, intervalMs: number, now = Date.now()): boolean {
  return !lastLoginAt || now - lastLoginAt.getTime() > intervalMs;
}
