/** Returned by a matching transformation (regexReplace, map without default) that did not match. */
export const NO_MATCH: unique symbol = Symbol('alb-usersync:no-match');

/** The longest value a mapping may hold at any step: a longer one refuses the login (docs/how-it-works.md "Staying up: every wait has a bound"). */
export const MAX_MAPPED_VALUE_LENGTH = 16_384;

/**
 * Thrown by a transformation whose output would exceed MAX_MAPPED_VALUE_LENGTH, before it builds
 * it: an amplifying step (a replacement repeated per match) never allocates what it may not keep.
 */
export class MappingBudgetExceeded extends Error {}

/** One value in, a value, a list (split), null (drop/empty) or NO_MATCH out. */
export type TransformationOutput = string | string[] | null | typeof NO_MATCH;
export type TransformFn = (value: string) => TransformationOutput;

export interface TransformationOptionSpec {
  type: 'string' | 'integer' | 'boolean' | 'stringMap';
  required?: boolean;
  description: string;
}

/**
 * A transformation type usable in connector mappings. Host apps register their own through
 * `UserSyncModule.forRoot({ transformations: [MyTransformation] })`; each `type` must be unique.
 */
export interface AttributeTransformation {
  /** Unique name used in mappings: `{ "type": "<type>", ...options }`. */
  readonly type: string;
  readonly description: string;
  readonly options: Record<string, TransformationOptionSpec>;
  /** True for a transformation that also runs on an empty value (like `default`). */
  readonly fillsEmpty?: boolean;
  /**
   * Called once when a connector is saved (to validate) and when it is first used: throw an Error
   * whose message says what is wrong with the options; return the function applied to each value.
   */
  compile(options: Record<string, unknown>): TransformFn;
}

/** Injection token for the custom transformations a host app registers. */
export const CUSTOM_TRANSFORMATIONS = Symbol('alb-usersync:custom-transformations');
