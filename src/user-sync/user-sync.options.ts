/** The options' injection token: in this file, which imports nothing, so every layer of UserSync may inject them. */
export const USER_SYNC_OPTIONS = Symbol('alb-usersync:user-sync-options');

/** Who may use the admin API when `adminGroups` is not given. */
export const DEFAULT_ADMIN_GROUPS = ['alb-usersync-admins'];

/** The admin groups these options name, or the default ones. */
export function adminGroupsOf(options: Pick<UserSyncModuleOptions, 'adminGroups'>): string[] {
  return options.adminGroups ?? DEFAULT_ADMIN_GROUPS;
}

export interface UserSyncModuleOptions {
  /** Bearer token for the admin API (at least 32 characters); none: only ADMIN_GROUPS users. */
  adminApiToken?: string | null | undefined;
  /** ALB users in one of these groups may use the admin API; by default also protected groups (settings). */
  adminGroups?: string[] | undefined;
  /** How often each instance looks for admin changes made elsewhere (ms). */
  syncPollMs?: number | undefined;
  /** How often each instance looks for scheduled cleanup rules that are due (ms, default 30 s). */
  cleanupTickMs?: number | undefined;
  /** lastLoginAt is written at most once per this interval (ms). */
  lastLoginIntervalMs?: number | undefined;
  /**
   * Identities whose claims a saved connector is checked against (local mode: the emulator's):
   * a connector that could not create one of them needs `confirm: true`.
   */
  sampleIdentities?: SampleIdentityClaims[] | undefined;
}

export interface SampleIdentityClaims {
  label: string;
  claims: Record<string, unknown>;
  accessClaims?: Record<string, unknown> | undefined;
}
