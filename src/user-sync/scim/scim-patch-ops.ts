import { scimPatch, ScimPatchOperation } from 'scim-patch';
import { Filter } from 'scim2-parse-filter';
import { ScimError } from './scim-error';
import { matches } from './scim-filter';
import { checkValue, checkValueKeys, parsePath, ResourceKind, safeJson, ScimPath } from './scim-paths';

export const MAX_OPERATIONS = 1000;

/** One checked PATCH operation (RFC 7644 §3.5.2): op in lower case, its path parsed; path-less values split by key. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: ScimPath;
  value: unknown;
}

/**
 * The operations of a PatchOp body, every path, filter and value key checked before anything is
 * applied (a refusal leaves the resource as it was). Attributes this service does not keep
 * (`title`, the enterprise extension…) are accepted and dropped.
 */
export function readOperations(body: Record<string, unknown>, kind: ResourceKind): PatchOperation[] {
  const operations = body.Operations;
  if (!Array.isArray(operations) || operations.length === 0) throw new ScimError(400, 'Operations must be a non-empty list', 'invalidSyntax');
  if (operations.length > MAX_OPERATIONS) throw new ScimError(400, `At most ${MAX_OPERATIONS} operations`, 'invalidSyntax');
  const checked: PatchOperation[] = [];
  for (const raw of operations) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ScimError(400, 'Each operation must be an object', 'invalidSyntax');
    const { op: rawOp, path: rawPath, value: rawValue } = raw as Record<string, unknown>;
    const op = typeof rawOp === 'string' ? rawOp.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw new ScimError(400, `op must be add, replace or remove, not ${JSON.stringify(rawOp)?.slice(0, 32)}`, 'invalidSyntax');
    const value = safeJson(rawValue, 'An operation\'s value');
    const shaped = (path: ScimPath, inner: unknown) => (op === 'remove' && inner === undefined ? undefined : checkValue(path, inner, kind));
    if (rawPath !== undefined && rawPath !== null) {
      const path = parsePath(rawPath, kind);
      if (path.kept) checked.push({ op, path, value: kind === 'User' ? shaped(path, value) : value });
      continue;
    }
    if (op === 'remove') throw new ScimError(400, 'remove needs a path', 'noTarget');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScimError(400, `${op} without a path needs an object of attributes as its value`, 'invalidValue');
    for (const entry of checkValueKeys(value as Record<string, unknown>, kind)) checked.push({ op, path: entry.path, value: kind === 'User' ? shaped(entry.path, entry.value) : entry.value });
  }
  return checked;
}

/** The SCIM User with the operations applied (scim-patch, on checked canonical paths only). */
export function applyUserOperations<T extends object>(resource: T, operations: PatchOperation[]): T {
  if (operations.length === 0) return resource;
  const patch = operations.map(({ op, path, value }) => ({ op, path: path.text, value })) as ScimPatchOperation[];
  try {
    return scimPatch(structuredClone(resource) as never, patch, { mutateDocument: true, treatMissingAsAdd: true }) as T;
  } catch (error) {
    const name = (error as Error).constructor?.name ?? '';
    throw new ScimError(400, `The patch cannot be applied: ${(error as Error).message}`, name === 'NoTarget' ? 'noTarget' : name === 'InvalidScimPatchOp' ? 'invalidPath' : 'invalidValue');
  }
}

export interface GroupPatchState {
  id: string;
  displayName: string;
  /** Member user ids, with their usernames for filters on `display`. */
  members: Array<{ value: string; display: string }>;
}

/**
 * A Group's displayName and members after the operations: members as Entra ID and Okta send them
 * (add a list; remove a list of `{value}` or `members[value eq "…"]`; replace the list).
 */
export function applyGroupOperations(state: GroupPatchState, operations: PatchOperation[]): { displayName: string; memberIds: string[] } {
  let displayName = state.displayName;
  const members = new Map(state.members.map((member) => [member.value, member.display]));
  for (const { op, path, value } of operations) {
    if (path.attribute === 'id') {
      if (op === 'remove' || value !== state.id) throw new ScimError(400, 'id is read-only', 'mutability');
    } else if (path.attribute === 'displayName') {
      if (op === 'remove') throw new ScimError(400, 'displayName is required: it cannot be removed', 'invalidValue');
      if (typeof value !== 'string') throw new ScimError(400, 'displayName must be a string', 'invalidValue');
      displayName = value;
    } else if (path.attribute === 'members') {
      if (path.sub) throw new ScimError(400, 'A member cannot be changed: remove it and add another', 'invalidPath');
      if (path.filter) {
        if (op !== 'remove') throw new ScimError(400, `${op} on members takes no filter: send the members as the value`, 'invalidPath');
        removeMatching(members, path.filter);
        continue;
      }
      const listed = value === undefined || value === null ? null : memberList(value);
      if (op === 'remove') {
        if (listed === null) members.clear();
        else for (const id of listed) members.delete(id);
      } else {
        if (listed === null) throw new ScimError(400, `${op} on members needs a list of members`, 'invalidValue');
        if (op === 'replace') members.clear();
        for (const id of listed) if (!members.has(id)) members.set(id, '');
      }
    }
  }
  return { displayName, memberIds: [...members.keys()] };
}

function removeMatching(members: Map<string, string>, filter: Filter): void {
  for (const [value, display] of [...members]) if (matches(filter, { value, display })) members.delete(value);
}

/** `[{"value": id, …}]` or one such object: the ids, each a string. */
export function memberList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((member) => {
    const id = typeof member === 'object' && member !== null ? (member as { value?: unknown }).value : undefined;
    if (typeof id !== 'string' || id === '') throw new ScimError(400, 'Each member needs a string value (the user\'s id)', 'invalidValue');
    return id;
  });
}
