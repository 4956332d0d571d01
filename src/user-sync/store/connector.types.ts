export type OnNoMatch = 'keep' | 'ignore' | 'clear' | 'reject';
export type UpdatePolicy = 'always' | 'onCreate';

export interface TransformationStep {
  type: string;
  [option: string]: unknown;
}

/** One rule of a JIT connector (CONTRACT.md §6 "Connector"). */
export interface Mapping {
  attribute: string;
  sources?: string[];
  template?: string;
  transformations?: TransformationStep[];
  onNoMatch?: OnNoMatch;
  update?: UpdatePolicy;
}

export interface ConnectorGroupOptions {
  alwaysAssign: string[];
  removeUnlisted: boolean;
  createMissing: boolean;
  /** May grant protected groups (settings protectedGroups) from claims and alwaysAssign. */
  allowProtectedGroups?: boolean;
}

export interface ConnectorUserOptions {
  updateExisting: boolean;
  reactivateOnLogin: boolean;
  /** Refuse a new username (or a rename) that looks like another user's (Unicode TR39 confusables). */
  refuseLookalikeUsernames?: boolean;
}
