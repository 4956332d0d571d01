import type { GroupEntity } from '../store/group.entity';
import type { UserEntity } from '../store/user.entity';

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

/** The fields of a SCIM User body this service keeps, read leniently (IdPs differ) but typed. */
export interface UserFields {
  userName: string;
  externalId: string | null;
  displayName: string;
  email: string;
  active: boolean;
  givenName?: string;
  familyName?: string;
}

export function readUserFields(body: Record<string, unknown>): UserFields {
  const name = (typeof body.name === 'object' && body.name !== null ? body.name : {}) as Record<string, unknown>;
  const emails = Array.isArray(body.emails) ? (body.emails as Array<Record<string, unknown>>) : [];
  const email = emails.find((entry) => entry?.primary === true || entry?.primary === 'True' || entry?.primary === 'true') ?? emails[0];
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const givenName = text(name.givenName);
  const familyName = text(name.familyName);
  const displayName = text(body.displayName) || text(name.formatted) || [givenName, familyName].filter(Boolean).join(' ') || text(body.userName);
  return {
    userName: text(body.userName),
    externalId: typeof body.externalId === 'string' && body.externalId !== '' ? body.externalId : null,
    displayName,
    email: text(email?.value),
    active: readBoolean(body.active, true),
    ...(givenName && { givenName }),
    ...(familyName && { familyName }),
  };
}

/** Entra ID sends "True"/"False" as strings. */
export function readBoolean(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return fallback;
}
