import RE2 from 're2';
import { AttributeTransformation, NO_MATCH, TransformFn } from '../attribute-transformation.interface';

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
    return (value) => (probe.test(value) ? value.replace(regex as unknown as RegExp, replacement) : NO_MATCH);
  },
};

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
