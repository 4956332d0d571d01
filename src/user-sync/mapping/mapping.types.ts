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
