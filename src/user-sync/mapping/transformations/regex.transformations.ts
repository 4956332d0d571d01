import RE2 from 're2';
import { AttributeTransformation, MAX_MAPPED_VALUE_LENGTH, MappingBudgetExceeded, NO_MATCH, TransformFn } from '../attribute-transformation.interface';

const MAX_PATTERN_LENGTH = 1024;
const ALLOWED_FLAGS = /^[imsug]*$/;

/** Every user-supplied pattern runs on RE2: linear time, no catastrophic backtracking. */
export function compileSafeRegex(pattern: unknown, flags: unknown = ''): RE2 {
  if (typeof pattern !== 'string' || pattern.length === 0) throw new Error('pattern must be a non-empty string');
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`pattern must be at most ${MAX_PATTERN_LENGTH} characters`);
  if (typeof flags !== 'string' || !ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length) {
    throw new Error('flags may only be a combination of i, m, s, u, g');
  }
  try {
    return new RE2(pattern, flags.includes('u') ? flags : `${flags}u`);
  } catch (error) {
    throw new Error(`pattern is not a valid regular expression: ${(error as Error).message}`);
  }
}

export const regexReplace: AttributeTransformation = {
  type: 'regexReplace',
  description:
    'Replaces what a regular expression (RE2 syntax, linear time) matches; "$1" inserts a group. A value it does not match follows onNoMatch',
  options: {
    pattern: { type: 'string', required: true, description: 'RE2 regular expression' },
    replacement: { type: 'string', description: 'replacement, with $1… for groups (default empty)' },
    flags: { type: 'string', description: 'any of i, m, s, u, g (g: every match)' },
  },
  compile(options): TransformFn {
    const regex = compileSafeRegex(options.pattern, options.flags ?? '');
    const probe = compileSafeRegex(options.pattern, String(options.flags ?? '').replace('g', ''));
    const replacement = (options.replacement as string | undefined) ?? '';
    const shape = replacementShape(replacement);
    const global = regex.global;
    return (value) => {
      if (!probe.test(value)) return NO_MATCH;
      if (outputBound(value, global ? regex : probe, shape, global) > MAX_MAPPED_VALUE_LENGTH) {
        throw new MappingBudgetExceeded(`regexReplace would produce more than ${MAX_MAPPED_VALUE_LENGTH} characters`);
      }
      return value.replace(regex as unknown as RegExp, replacement);
    };
  },
};

/**
 * A replacement's size per match, as an upper bound: all its characters (RE2 writes a reference it
 * cannot resolve, like $0 or $9 without a ninth group, as text), plus the match per group
 * reference ($1, $&, $<name>) and the whole input per $` or $'.
 */
function replacementShape(replacement: string): { literal: number; groups: number; input: number } {
  let groups = 0;
  let input = 0;
  for (const [, ref] of replacement.matchAll(/\$(\$|&|`|'|\d{1,2}|<[^>]*>)/g)) {
    if (ref === '`' || ref === "'") input++;
    else if (ref !== '$') groups++;
  }
  return { literal: replacement.length, groups, input };
}

/**
 * An upper bound of the replaced text's length, from one linear scan of the matches: each match
 * is replaced by the literal part, plus at most the match itself per group reference, plus at
 * most the whole input per $` or $'. Native replacement runs only below the budget.
 */
function outputBound(value: string, regex: RE2, shape: { literal: number; groups: number; input: number }, global: boolean): number {
  let bound = value.length;
  regex.lastIndex = 0;
  for (let match = regex.exec(value); match; match = global ? regex.exec(value) : null) {
    bound += shape.literal + shape.groups * match[0].length + shape.input * value.length - match[0].length;
    if (bound > MAX_MAPPED_VALUE_LENGTH) break;
    if (match[0].length === 0) regex.lastIndex++;
  }
  regex.lastIndex = 0;
  return bound;
}

export const filter: AttributeTransformation = {
  type: 'filter',
  description: 'Keeps only the values (list elements) that a regular expression (RE2) matches',
  options: {
    pattern: { type: 'string', required: true, description: 'RE2 regular expression' },
    flags: { type: 'string', description: 'any of i, m, s, u' },
  },
  compile(options): TransformFn {
    const regex = compileSafeRegex(options.pattern, String(options.flags ?? '').replace('g', ''));
    return (value) => (regex.test(value) ? value : null);
  },
};
