import { Filter, parse, stringify } from 'scim2-parse-filter';
import { PROTOTYPE_NAMES } from '../../common/validation/prototype-keys';
import { ScimError } from './scim-error';
import { GROUP_SCHEMA, USER_SCHEMA } from './scim-resources';

/**
 * What a SCIM client may name (RFC 7644 §3.5.2 paths, §3.4.2.2 filters, the keys of PATCH values),
 * checked before scim-patch or the filter tester touch a resource: attribute names follow RFC 7643's
 * ATTRNAME, and none names a prototype, in any case or position.
 */
export { PROTOTYPE_NAMES };
const ATTRNAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const SUB_ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export type ResourceKind = 'User' | 'Group';

interface Attribute {
  name: string;
  /** Sub-attributes of a complex attribute, by lower-case name. */
  sub?: ReadonlyMap<string, string>;
  multiValued?: boolean;
  /** Kept: applied; otherwise accepted and ignored (RFC 7643 attributes this service does not store). */
  kept: boolean;
}

const names = (...list: string[]) => new Map(list.map((name) => [name.toLowerCase(), name]));
const attributes = (list: Attribute[]) => new Map(list.map((attribute) => [attribute.name.toLowerCase(), attribute]));

const COMMON = [
  { name: 'id', kept: true },
  { name: 'schemas', kept: false },
  { name: 'meta', kept: false },
];
const IGNORED_USER = ['nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'password', 'phoneNumbers', 'ims', 'photos', 'addresses', 'groups', 'entitlements', 'roles', 'x509Certificates'];

const SCHEMA: Record<ResourceKind, ReadonlyMap<string, Attribute>> = {
  User: attributes([
    ...COMMON,
    { name: 'externalId', kept: true },
    { name: 'userName', kept: true },
    { name: 'displayName', kept: true },
    { name: 'name', kept: true, sub: names('formatted', 'givenName', 'familyName', 'middleName', 'honorificPrefix', 'honorificSuffix') },
    { name: 'emails', kept: true, multiValued: true, sub: names('value', 'type', 'primary', 'display') },
    { name: 'active', kept: true },
    ...IGNORED_USER.map((name) => ({ name, kept: false })),
  ]),
  Group: attributes([...COMMON, { name: 'externalId', kept: false }, { name: 'displayName', kept: true }, { name: 'members', kept: true, multiValued: true, sub: names('value', 'display', 'type', '$ref') }]),
};
const CORE_SCHEMA: Record<ResourceKind, string> = { User: USER_SCHEMA, Group: GROUP_SCHEMA };

/** A checked PATCH path: `attribute[filter].sub`, names in their schema's spelling. */
export interface ScimPath {
  attribute: string;
  filter?: Filter;
  sub?: string;
  /** False for attributes accepted and ignored (e.g. `title`, the enterprise extension). */
  kept: boolean;
  /** The path in canonical spelling, for scim-patch. */
  text: string;
}

const invalidPath = (detail: string) => new ScimError(400, detail, 'invalidPath');

/** Libraries split names on `.` and `:` (scim-patch walks `a.b:c` key by key): every segment is checked. */
const SEGMENTS = /[.:[\]\s]+/;

export function assertNotPrototype(name: string, where: string): void {
  for (const segment of name.split(SEGMENTS)) {
    if (PROTOTYPE_NAMES.has(segment.toLowerCase())) throw invalidPath(`${where} names "${segment.slice(0, 64)}", which is never an attribute`);
  }
}

/** Strips `urn:…:<Schema>:` (RFC 7644 §3.10): the resource's core schema, or the enterprise extension (ignored). */
function stripSchema(path: string, kind: ResourceKind): { rest: string; extension: boolean } {
  if (!/^urn:/i.test(path)) return { rest: path, extension: false };
  for (const [schema, extension] of [[CORE_SCHEMA[kind], false], ...(kind === 'User' ? [[ENTERPRISE_USER_SCHEMA, true] as const] : [])] as const) {
    if (path.length === schema.length && path.toLowerCase() === schema.toLowerCase()) return { rest: '', extension };
    if (path.toLowerCase().startsWith(`${schema.toLowerCase()}:`)) return { rest: path.slice(schema.length + 1), extension };
  }
  throw invalidPath(`Unknown schema in path "${path.slice(0, 128)}"`);
}

/** Parses and checks a PATCH `path` of a User or Group. */
export function parsePath(raw: unknown, kind: ResourceKind): ScimPath {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalidPath('path must be a non-empty string');
  if (raw.length > 512) throw invalidPath('path is longer than 512 characters');
  assertNotPrototype(raw, 'path');
  const { rest, extension } = stripSchema(raw.trim(), kind);
  // The enterprise extension's attributes are not stored: their names checked, then ignored.
  if (extension) return { attribute: ENTERPRISE_USER_SCHEMA, kept: false, text: raw };
  const match = /^([^.[\]]+)(?:\[([^[\]]*)\])?(?:\.([^.[\]]+))?$/s.exec(rest);
  if (!match) throw invalidPath(`path "${raw.slice(0, 128)}" is not attribute[filter].subAttribute`);
  const [, attributeName, filterText, subName] = match;
  assertNotPrototype(attributeName, 'path');
  if (subName !== undefined) assertNotPrototype(subName, 'path');
  const attribute = SCHEMA[kind].get(attributeName.toLowerCase());
  if (!ATTRNAME.test(attributeName) || !attribute) throw invalidPath(`${kind} has no attribute "${attributeName.slice(0, 64)}"`);
  if (!attribute.kept) {
    // Not stored: its filter and sub-attribute are only checked for what they name.
    if (subName !== undefined && !SUB_ATTRNAME.test(subName)) throw invalidPath(`"${subName.slice(0, 64)}" is no attribute name`);
    if (filterText !== undefined) parseValueFilter(filterText, { name: attribute.name, kept: false });
    return { attribute: attribute.name, kept: false, text: raw };
  }
  let sub: string | undefined;
  if (subName !== undefined) {
    sub = attribute.sub?.get(subName.toLowerCase());
    if (!SUB_ATTRNAME.test(subName) || !sub) throw invalidPath(`${attribute.name} has no sub-attribute "${subName.slice(0, 64)}"`);
  }
  let filter: Filter | undefined;
  if (filterText !== undefined) {
    if (!attribute.multiValued) throw invalidPath(`${attribute.name} is not multi-valued: it takes no filter`);
    filter = parseValueFilter(filterText, attribute);
  }
  const text = `${attribute.name}${filter ? `[${stringify(filter)}]` : ''}${sub ? `.${sub}` : ''}`;
  return { attribute: attribute.name, ...(filter && { filter }), ...(sub && { sub }), kept: attribute.kept, text };
}

/** A value filter (`emails[type eq "work"]`): its attributes are the multi-valued attribute's sub-attributes. */
function parseValueFilter(text: string, attribute: Attribute): Filter {
  let filter: Filter;
  try {
    filter = parse(text);
  } catch (error) {
    throw invalidPath(`The filter in the path is malformed: ${(error as Error).message}`);
  }
  if (JSON.stringify(filter).includes('"op":"[]"')) throw invalidPath('A filter in a path cannot hold another value path');
  return mapFilterPaths(filter, (path) => {
    assertNotPrototype(path, 'The filter in the path');
    if (!attribute.kept) return path;
    const sub = attribute.sub?.get(path.toLowerCase());
    if (!sub) throw invalidPath(`${attribute.name} has no sub-attribute "${path.slice(0, 64)}" to filter on`);
    return sub;
  });
}

/** Every attribute path of a list filter checked: names only, none a prototype. */
export function checkFilterPaths(filter: Filter): Filter {
  try {
    return mapFilterPaths(filter, (path) => {
      const rest = /^urn:/i.test(path) ? path.slice(path.lastIndexOf(':') + 1) : path;
      for (const segment of rest.split('.')) {
        assertNotPrototype(segment, 'The filter');
        if (!SUB_ATTRNAME.test(segment)) throw new ScimError(400, `The filter names "${segment.slice(0, 64)}", which is no attribute name`, 'invalidFilter');
      }
      return path;
    });
  } catch (error) {
    if (error instanceof ScimError && error.scimType === 'invalidPath') throw new ScimError(400, error.message, 'invalidFilter');
    throw error;
  }
}

function mapFilterPaths(filter: Filter, map: (path: string) => string, depth = 0): Filter {
  if (depth > 64) throw new ScimError(400, 'The filter is nested too deeply', 'invalidFilter');
  switch (filter.op) {
    case 'and':
    case 'or':
      return { op: filter.op, filters: filter.filters.map((inner) => mapFilterPaths(inner, map, depth + 1)) };
    case 'not':
      return { op: 'not', filter: mapFilterPaths(filter.filter, map, depth + 1) };
    case '[]':
      // A value path inside a filter (`emails[type eq "work"]`): its names are checked, segment by segment.
      assertNotPrototype(filter.attrPath, 'The filter');
      return { op: '[]', attrPath: filter.attrPath, valFilter: mapFilterPaths(filter.valFilter, (path) => (assertNotPrototype(path, 'The filter'), path), depth + 1) };
    default:
      assertNotPrototype(filter.attrPath, 'The filter');
      return { ...filter, attrPath: map(filter.attrPath) } as Filter;
  }
}

/**
 * A PATCH value or a POST/PUT body, checked through: no key names a prototype, at any depth.
 * Returned as a copy whose objects have no prototype, so no later merge can reach one either.
 */
export function safeJson(value: unknown, where = 'The body', depth = 0): unknown {
  if (depth > 32) throw new ScimError(400, `${where} is nested deeper than 32 levels`, 'invalidSyntax');
  if (Array.isArray(value)) return value.map((item) => safeJson(item, where, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = Object.create(null);
  for (const [key, inner] of Object.entries(value)) {
    // Whole keys and their segments: `constructor.prototype.x` is walked key by key by scim-patch.
    assertNotPrototype(key, `${where} has a key that`);
    copy[key] = safeJson(inner, where, depth + 1);
  }
  return copy;
}

/**
 * A kept attribute's value in its schema's shape, keys in canonical spelling: a simple attribute
 * (or a sub-attribute) takes a plain value; a complex one an object of its sub-attributes (a list
 * of them when multi-valued). So scim-patch only ever merges keys of the schema.
 */
export function checkValue(path: ScimPath, value: unknown, kind: ResourceKind): unknown {
  const attribute = SCHEMA[kind].get(path.attribute.toLowerCase());
  if (!attribute) throw invalidPath(`${kind} has no attribute "${path.attribute}"`);
  const plain = (inner: unknown, name: string) => {
    if (typeof inner === 'object' && inner !== null) throw new ScimError(400, `${name} takes a single value, not ${Array.isArray(inner) ? 'a list' : 'an object'}`, 'invalidValue');
    return inner;
  };
  if (path.sub || !attribute.sub) return plain(value, path.sub ? `${attribute.name}.${path.sub}` : attribute.name);
  const subs = attribute.sub;
  const object = (inner: unknown) => {
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw new ScimError(400, `${attribute.name} takes ${attribute.multiValued ? 'objects' : 'an object'} of ${[...subs.values()].join(', ')}`, 'invalidValue');
    const canonical: Record<string, unknown> = Object.create(null);
    for (const [key, sub] of Object.entries(inner)) {
      const name = subs.get(key.toLowerCase());
      if (!name) throw invalidPath(`${attribute.name} has no sub-attribute "${key.slice(0, 64)}"`);
      canonical[name] = plain(sub, `${attribute.name}.${name}`);
    }
    return canonical;
  };
  if (attribute.multiValued && !path.filter) return Array.isArray(value) ? value.map(object) : object(value);
  return object(value);
}

/**
 * The keys of a path-less PATCH value (`{"op":"replace","value":{"active":false}}`), checked as
 * paths: what they name, in canonical spelling; ignored attributes dropped.
 */
export function checkValueKeys(value: Record<string, unknown>, kind: ResourceKind): Array<{ path: ScimPath; value: unknown }> {
  const entries: Array<{ path: ScimPath; value: unknown }> = [];
  for (const [key, inner] of Object.entries(value)) {
    const { rest, extension } = stripSchema(key, kind);
    if (extension || rest === '') {
      // `"urn:…:enterprise:2.0:User": {…}` (ignored), or `"urn:…:core:2.0:User": {…}` (its attributes).
      if (extension || typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
        if (!extension) throw invalidPath(`"${key.slice(0, 128)}" must hold an object of attributes`);
        continue;
      }
      entries.push(...checkValueKeys(inner as Record<string, unknown>, kind));
      continue;
    }
    const path = parsePath(rest, kind);
    if (path.filter) throw invalidPath(`A value's key "${key.slice(0, 64)}" cannot hold a filter`);
    if (path.kept) entries.push({ path, value: inner });
  }
  return entries;
}

/** Every attribute a SCIM client may name, and whether this service keeps it (docs/scim.md lists them). */
export function scimAttributes(): Array<{ kind: ResourceKind; name: string; kept: boolean }> {
  return (Object.keys(SCHEMA) as ResourceKind[]).flatMap((kind) => [...SCHEMA[kind].values()].map(({ name, kept }) => ({ kind, name, kept })));
}
