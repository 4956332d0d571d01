import type { ErrorCode } from '../../common/errors/error-code.enum';
import type { PrimaryKeyClaim } from '../identity/identity-rules';
import { UpdatePolicy } from '../store/connector.types';

export type CoreAttribute = 'username' | 'displayName' | 'email';

/**
 * What a claim set maps to. An attribute missing from `user`/`attributes` is left as stored
 * (not mapped, `onNoMatch: ignore`, or no source had a value); an empty string clears it.
 */
export interface MappingResult {
  user: Partial<Record<CoreAttribute, string>>;
  attributes: Record<string, string>;
  /** undefined: the groups claim is absent, memberships stay as they are. */
  groups?: string[];
  /** `update` policy of each mapped attribute (`groups` included). */
  policies: Record<string, UpdatePolicy>;
  /** Set when a mapping's onNoMatch is `reject` (or a value cannot be used). */
  rejected?: { attribute: string; reason: string };
  warnings: string[];
}

/**
 * A login as the mapping step hands it on: everything the later steps need, computed once. Sync on:
 * the mapped claims, the primary key as sent and the fingerprint of all the outcome depends on; sync
 * off: the username claim; or the access-token refusal that decides the login before any mapping.
 */
export type MappedLogin = ConnectorLogin | DirectoryLoginClaim | AccessRefusedLogin;

export interface ConnectorLogin {
  via: 'connector';
  mapped: MappingResult;
  primaryKey: PrimaryKeyClaim;
  /** Everything the outcome depends on (connector, version, primary key, mapped values), not exp/iat. */
  fingerprint: string;
}

export interface DirectoryLoginClaim {
  via: 'directories';
  claimName: string;
  /** The claim's value, trimmed ('' when absent or not a string or number). */
  username: string;
}

export interface AccessRefusedLogin {
  via: 'access-refused';
  refusal: { code: ErrorCode; reason: string };
  /** The username the mapping gives without the access token's claims: the refusal is audited under it. */
  username: string | null;
}
