import { Compare, Filter, parse, Tester } from 'scim2-parse-filter';
import { ScimError } from './scim-error';
import { checkFilterPaths } from './scim-paths';

/**
 * SCIM's string attributes here (userName, emails, displayName) are caseExact false: compared
 * ignoring case; a multi-valued complex attribute (emails) compares by its `value` (RFC 7644 §3.4.2.2).
 */
class CaseInsensitiveTester extends Tester {
  attrTest(path: string[], r: unknown, op: (r: unknown) => boolean): boolean {
    // A multi-valued attribute matches when one of its values does.
    if (path.length === 0 && Array.isArray(r)) return r.some((item) => op(item));
    return super.attrTest(path, r, op);
  }

  private fold(value: unknown): unknown {
    const primitive = typeof value === 'object' && value !== null && 'value' in value ? (value as { value: unknown }).value : value;
    return typeof primitive === 'string' ? primitive.toLowerCase() : primitive;
  }
  eq(r: unknown, v: Compare['compValue']): boolean {
    return super.eq(this.fold(r), this.fold(v) as Compare['compValue']);
  }
  ne(r: unknown, v: Compare['compValue']): boolean {
    return super.ne(this.fold(r), this.fold(v) as Compare['compValue']);
  }
  co(r: unknown, v: Compare['compValue']): boolean {
    return super.co(this.fold(r), this.fold(v) as Compare['compValue']);
  }
  sw(r: unknown, v: Compare['compValue']): boolean {
    return super.sw(this.fold(r), this.fold(v) as Compare['compValue']);
  }
  ew(r: unknown, v: Compare['compValue']): boolean {
    return super.ew(this.fold(r), this.fold(v) as Compare['compValue']);
  }
}

const tester = new CaseInsensitiveTester();
export const MAX_FILTER_LENGTH = 2048;

/** A parsed filter (scim2-parse-filter) whose attribute names are checked, or a 400 invalidFilter. */
export function parseFilter(text: string | undefined): Filter | null {
  if (text === undefined || text.trim() === '') return null;
  if (text.length > MAX_FILTER_LENGTH) throw new ScimError(400, `The filter is longer than ${MAX_FILTER_LENGTH} characters`, 'invalidFilter');
  let filter: Filter;
  try {
    filter = parse(text);
  } catch (error) {
    throw new ScimError(400, `The filter is malformed: ${(error as Error).message}`, 'invalidFilter');
  }
  return checkFilterPaths(filter);
}

export function matches(filter: Filter, resource: object): boolean {
  return tester.test(resource, filter);
}

/** `attr eq "value"` on one of these attributes (any case): the value, for an indexed lookup. */
export function equalityOn(filter: Filter | null, attribute: string): string | null {
  if (!filter || filter.op !== 'eq') return null;
  const compare = filter as Compare;
  return compare.attrPath.toLowerCase() === attribute.toLowerCase() && typeof compare.compValue === 'string' ? compare.compValue : null;
}
