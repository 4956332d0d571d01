import type { GroupEntity } from '../store/group.entity';
import type { UserEntity } from '../store/user.entity';
import { ScimError } from './scim-error';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface ScimUser {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name: { formatted: string; givenName?: string; familyName?: string };
  displayName: string;
  emails: Array<{ value: string; type: string; primary: boolean }>;
  active: boolean;
  meta: { resourceType: 'User'; created: Date; lastModified: Date; location: string };
}

export interface ScimGroup {
  schemas: string[];
  id: string;
  displayName: string;
  members: Array<{ value: string; display: string }>;
  meta: { resourceType: 'Group'; created: Date; lastModified: Date; location: string };
}

export function toScimUser(user: UserEntity, base: string): ScimUser {
  const attributes = user.attributes ?? {};
  return {
    schemas: [USER_SCHEMA],
    id: user.id,
    ...(user.externalId !== null && { externalId: user.externalId }),
    userName: user.username,
    name: {
      formatted: user.displayName,
      ...(attributes.givenName && { givenName: attributes.givenName }),
      ...(attributes.familyName && { familyName: attributes.familyName }),
    },
    displayName: user.displayName,
    emails: user.email ? [{ value: user.email, type: 'work', primary: true }] : [],
    active: user.active,
    meta: { resourceType: 'User', created: user.createdAt, lastModified: user.updatedAt, location: `${base}/Users/${user.id}` },
  };
}

export function toScimGroup(group: GroupEntity, members: Array<{ userId: string; username: string }>, base: string): ScimGroup {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    displayName: group.name,
    members: members.map((member) => ({ value: member.userId, display: member.username })),
    meta: { resourceType: 'Group', created: group.createdAt, lastModified: group.createdAt, location: `${base}/Groups/${group.id}` },
  };
}

/** The fields of a SCIM User body this service keeps. */
export interface UserFields {
  userName: string;
  externalId: string | null;
  displayName: string;
  email: string;
  active: boolean;
  givenName?: string;
  familyName?: string;
}

const invalid = (detail: string) => new ScimError(400, detail, 'invalidValue');

/** A string attribute: absent (undefined or null) gives '', any other type is a 400. */
function text(value: unknown, name: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value.trim();
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${name} must be an object`);
  return value as Record<string, unknown>;
}

/**
 * A User body (POST, PUT, or a resource after PATCH), read as IdPs send it but typed: a present
 * attribute of the wrong type is refused, never silently dropped. `active` falls back to
 * `activeIfAbsent` when absent; null for it means it must be present.
 */
export function readUserFields(body: Record<string, unknown>, activeIfAbsent: boolean | null): UserFields {
  const name = object(body.name, 'name');
  if (body.emails !== undefined && body.emails !== null && !Array.isArray(body.emails)) throw invalid('emails must be a list');
  const emails = ((body.emails ?? []) as unknown[]).map((entry) => object(entry, 'each of emails'));
  const email = emails.find((entry) => readActive(entry.primary, false, 'emails.primary')) ?? emails[0];
  const givenName = text(name.givenName, 'name.givenName');
  const familyName = text(name.familyName, 'name.familyName');
  const userName = text(body.userName, 'userName');
  const displayName = text(body.displayName, 'displayName') || text(name.formatted, 'name.formatted') || [givenName, familyName].filter(Boolean).join(' ') || userName;
  if (body.externalId !== undefined && body.externalId !== null && typeof body.externalId !== 'string') throw invalid('externalId must be a string');
  if (body.active === undefined && activeIfAbsent === null) throw invalid('active is required (true or false)');
  return {
    userName,
    externalId: typeof body.externalId === 'string' && body.externalId !== '' ? body.externalId : null,
    displayName,
    email: text(email?.value, 'emails.value'),
    active: readActive(body.active, activeIfAbsent ?? false, 'active'),
    ...(givenName && { givenName }),
    ...(familyName && { familyName }),
  };
}

/** A boolean attribute: true or false, or Entra ID's "True"/"False" strings (any case); anything else is a 400. */
export function readActive(value: unknown, ifAbsent: boolean, name: string): boolean {
  if (value === undefined) return ifAbsent;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalid(`${name} must be true or false`);
}
