import { AttributeTransformation, MAX_MAPPED_VALUE_LENGTH, MappingBudgetExceeded, NO_MATCH, TransformFn } from '../attribute-transformation.interface';

const noOptions = {};

export const lowercase: AttributeTransformation = {
  type: 'lowercase',
  description: 'Lower-cases the value',
  options: noOptions,
  compile: (): TransformFn => (value) => value.toLowerCase(),
};

export const uppercase: AttributeTransformation = {
  type: 'uppercase',
  description: 'Upper-cases the value',
  options: noOptions,
  compile: (): TransformFn => (value) => value.toUpperCase(),
};

export const trim: AttributeTransformation = {
  type: 'trim',
  description: 'Removes leading and trailing white space',
  options: noOptions,
  compile: (): TransformFn => (value) => value.trim(),
};

export const replace: AttributeTransformation = {
  type: 'replace',
  description: 'Replaces every occurrence of a literal text',
  options: {
    search: { type: 'string', required: true, description: 'literal text to find (not empty)' },
    replacement: { type: 'string', description: 'text to put instead (default empty)' },
  },
  compile(options): TransformFn {
    const search = options.search as string;
    if (search.length === 0) throw new Error('search must not be empty');
    const replacement = (options.replacement as string | undefined) ?? '';
    return (value) => {
      const parts = value.split(search);
      if (value.length + (parts.length - 1) * (replacement.length - search.length) > MAX_MAPPED_VALUE_LENGTH) {
        throw new MappingBudgetExceeded(`replace would produce more than ${MAX_MAPPED_VALUE_LENGTH} characters`);
      }
      return parts.join(replacement);
    };
  },
};

export const stripDomain: AttributeTransformation = {
  type: 'stripDomain',
  description: 'Keeps the part before "@" (user@domain) or after "\\" (DOMAIN\\user)',
  options: noOptions,
  compile: (): TransformFn => (value) => {
    const at = value.indexOf('@');
    if (at >= 0) return value.slice(0, at);
    const slash = value.lastIndexOf('\\');
    return slash >= 0 ? value.slice(slash + 1) : value;
  },
};

export const azureGuestUpnToEmail: AttributeTransformation = {
  type: 'azureGuestUpnToEmail',
  description: 'Turns an Entra ID guest UPN (john.doe_example.com#EXT#@tenant.onmicrosoft.com) into john.doe@example.com',
  options: noOptions,
  compile: (): TransformFn => (value) => {
    const ext = value.toUpperCase().indexOf('#EXT#');
    if (ext < 0) return value;
    const local = value.slice(0, ext);
    const underscore = local.lastIndexOf('_');
    return underscore > 0 ? `${local.slice(0, underscore)}@${local.slice(underscore + 1)}` : value;
  },
};

export const prefix: AttributeTransformation = {
  type: 'prefix',
  description: 'Adds a text before the value',
  options: { value: { type: 'string', required: true, description: 'text to add' } },
  compile: (options): TransformFn => (value) => `${options.value as string}${value}`,
};

export const suffix: AttributeTransformation = {
  type: 'suffix',
  description: 'Adds a text after the value',
  options: { value: { type: 'string', required: true, description: 'text to add' } },
  compile: (options): TransformFn => (value) => `${value}${options.value as string}`,
};

export const substring: AttributeTransformation = {
  type: 'substring',
  description: 'Keeps the characters from start (counting from 0) to end (exclusive)',
  options: {
    start: { type: 'integer', required: true, description: 'first character kept, from 0' },
    end: { type: 'integer', description: 'first character no longer kept (default: the end)' },
  },
  compile(options): TransformFn {
    const start = options.start as number;
    const end = options.end as number | undefined;
    if (start < 0) throw new Error('start must be 0 or more');
    if (end !== undefined && end < start) throw new Error('end must not be less than start');
    // By code point, so a character outside the BMP is never cut in half.
    return (value) => Array.from(value).slice(start, end).join('');
  },
};

export const split: AttributeTransformation = {
  type: 'split',
  description: 'Splits the value into a list (empty parts dropped), e.g. for a groups claim sent as one string',
  options: { separator: { type: 'string', required: true, description: 'separator (not empty)' } },
  compile(options): TransformFn {
    const separator = options.separator as string;
    if (separator.length === 0) throw new Error('separator must not be empty');
    return (value) =>
      value
        .split(separator)
        .map((part) => part.trim())
        .filter(Boolean);
  },
};

export const map: AttributeTransformation = {
  type: 'map',
  description: 'Replaces a value by the one listed for it; without default, an unlisted value does not match',
  options: {
    values: { type: 'stringMap', required: true, description: 'object from value to replacement' },
    default: { type: 'string', description: 'used for values not listed' },
  },
  compile(options): TransformFn {
    const values = new Map(Object.entries(options.values as Record<string, string>));
    const fallback = options.default as string | undefined;
    return (value) => values.get(value) ?? fallback ?? NO_MATCH;
  },
};

export const defaultValue: AttributeTransformation = {
  type: 'default',
  description: 'Fills a value that is empty after the sources and the transformations before it',
  options: { value: { type: 'string', required: true, description: 'the value to use' } },
  fillsEmpty: true,
  compile: (options): TransformFn => (value) => (value === '' ? (options.value as string) : value),
};
