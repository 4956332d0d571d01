import assert from 'node:assert/strict';
import request from 'supertest';
import { TEST_CONNECTOR } from '../../src/testing/test-user-sync';
import { ADMIN_TOKEN } from './test-app';

export type AdminClient = ReturnType<typeof adminClient>;

/** Admin API calls with the bearer token. */
export function adminClient(http: ReturnType<typeof request>) {
  const auth = `Bearer ${ADMIN_TOKEN}`;
  return {
    get: (url: string) => http.get(url).set('authorization', auth),
    post: (url: string, body: object) => http.post(url).set('authorization', auth).send(body),
    put: (url: string, body: object) => http.put(url).set('authorization', auth).send(body),
    patch: (url: string, body: object) => http.patch(url).set('authorization', auth).send(body),
    delete: (url: string) => http.delete(url).set('authorization', auth),
  };
}

/** The testing entry's connector: what a host app's tests get from enableTestUserSync. */
export const SIMPLE_CONNECTOR = TEST_CONNECTOR;

/** Creates a JIT connector with a new directory and turns user sync on with it. */
export async function enableJit(admin: AdminClient, connector: object = {}, settings: object = {}) {
  const created = await admin.post('/api/user-sync/connectors', { ...SIMPLE_CONNECTOR, ...connector, createDirectory: true });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const put = await admin.put('/api/alb-auth/settings', {
    userSync: { enabled: true, connectorId: created.body.id },
    accessGroups: [],
    ...settings,
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  return created.body as { id: string; directoryId: string; version: number };
}
