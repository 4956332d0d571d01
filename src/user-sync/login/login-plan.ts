import { ErrorCode } from '../../common/errors/error-code.enum';

export type LoginDecision = 'create' | 'update' | 'rename' | 'unchanged' | 'refuse';

export interface PlannedUser {
  username: string;
  displayName: string;
  email: string;
  active: boolean;
  attributes: Record<string, string>;
  externalId: string | null;
}

/** What one login would do: computed without writing (preview), then applied (login). */
export interface LoginPlan {
  decision: LoginDecision;
  refusal?: { code: ErrorCode; reason: string };
  /** The stored user this login matched, if any. */
  existingId?: string;
  user?: PlannedUser;
  /** The username the mapped claims asked for, also when refused (audited under it). */
  attemptedUsername?: string;
  /** Fields of an existing user that change. */
  changes: string[];
  rename?: { from: string; to: string };
  reactivate: boolean;
  /** Memberships this connector grants that are added or removed, by group name. */
  groupsAdded: string[];
  groupsRemoved: string[];
  /** Protected groups the claims or alwaysAssign asked for and this login did not grant. */
  groupsProtected: string[];
  /** Every group of the user after the login, whatever granted it. */
  groups: string[];
  access: boolean;
  fingerprint: string;
  warnings: string[];
}
