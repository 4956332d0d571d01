import assert from 'node:assert/strict';
import request from 'supertest';
import { AdminClient } from './admin-client';
import { assertStatus } from './http';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export type ScimMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ScimCall = (method: ScimMethod, path: string, body?: object) => request.Test;

/** A SCIM client of `directoryId`, made through the admin API: its id and a caller with its bearer token. */
export async function scimClient(http: ReturnType<typeof request>, admin: AdminClient, directoryId: string, name = 'IdP', extra: object = {}) {
  const created = await admin.post('/api/user-sync/scim-clients', { name, directoryId, ...extra });
  assertStatus(created, 201);
  const token = created.body.token as string;
  const call: ScimCall = (method, path, body) => {
    const pending = http[method](`/scim/v2${path}`).set('authorization', `Bearer ${token}`);
    return body === undefined ? pending : pending.set('content-type', 'application/scim+json').send(JSON.stringify(body));
  };
  return { id: created.body.id as string, token, scim: call };
}

/** Asserts RFC 7644 §3.12's error: the Error schema, status as a string, the scimType when given, application/scim+json. */
export function assertScimError(response: request.Response, status: number, scimType?: string): void {
  assert.equal(response.status, status, JSON.stringify(response.body ?? response.text));
  assert.equal(String(response.headers['content-type']).split(';')[0], 'application/scim+json');
  const body = typeof response.body === 'object' && response.body && Object.keys(response.body).length ? response.body : JSON.parse(response.text);
  assert.deepEqual(body.schemas, [SCIM_ERROR]);
  assert.equal(body.status, String(status));
  assert.equal(typeof body.detail, 'string');
  if (scimType) assert.equal(body.scimType, scimType, body.detail);
}

/** Asserts a ListResponse and returns its resources. */
export function listed<T = Record<string, unknown>>(response: request.Response, totalResults: number): T[] {
  assertStatus(response, 200);
  assert.equal(String(response.headers['content-type']).split(';')[0], 'application/scim+json');
  assert.deepEqual(response.body.schemas, [LIST_RESPONSE]);
  assert.equal(response.body.totalResults, totalResults);
  assert.equal(response.body.itemsPerPage, response.body.Resources.length);
  return response.body.Resources;
}

export const patchOp = (...Operations: object[]) => ({ schemas: [PATCH_OP], Operations });
export const eqFilter = (attribute: string, value: string) => `filter=${encodeURIComponent(`${attribute} eq "${value}"`)}`;
