import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlbAuthModuleOptions } from '../alb-auth/alb-auth.options';
import type { TestAlb } from './test-alb';

/**
 * AlbAuthModule's options for a test ALB, for a host app's testing module:
 * `Test.createTestingModule({ imports: [AppModule] }).overrideProvider(ALB_AUTH_OPTIONS).useValue(testAlbOptions(alb))`.
 */
export function testAlbOptions(alb: TestAlb, extra: Partial<AlbAuthModuleOptions> = {}): AlbAuthModuleOptions {
  return { arns: [alb.arn], issuer: alb.issuer, clientIds: [alb.clientId], keyEndpoint: alb.keyEndpoint, ...extra };
}

/** A JIT connector as most tests want one: `sub` as the key, the username from `email`, groups from `groups`. */
export const TEST_CONNECTOR = {
  name: 'Test JIT',
  type: 'jit',
  primaryKey: 'sub',
  mappings: [
    { attribute: 'username', sources: ['email'], transformations: [{ type: 'lowercase' }] },
    { attribute: 'displayName', sources: ['name', 'email'] },
    { attribute: 'email', sources: ['email'] },
    { attribute: 'groups', sources: ['groups'] },
  ],
  groups: { alwaysAssign: [], removeUnlisted: true, createMissing: true },
  users: { updateExisting: true, reactivateOnLogin: false },
};

export interface TestUserSyncOptions {
  /** The app's `adminApiToken` (UserSyncModule's option). */
  adminApiToken: string;
  /** Merged over TEST_CONNECTOR (e.g. `mappings`, `groups`). */
  connector?: Record<string, unknown>;
  /** Merged over the settings this turns on (e.g. `accessGroups`, `protectedGroups`). */
  settings?: Record<string, unknown>;
  /** Where the admin API is mounted: UserSyncModule's `routes.adminApi` behind any global prefix (default `/api`). */
  adminApiPath?: string;
}

/**
 * One call for a host app's tests: through the admin API, creates a JIT connector with a new
 * directory and turns user sync on with it. The app need not listen: it is given a loopback port
 * for these two requests when it does not.
 */
export async function enableTestUserSync(app: INestApplication, options: TestUserSyncOptions): Promise<{ connectorId: string; directoryId: string }> {
  const server = app.getHttpServer() as Server;
  const listening = server.listening;
  if (!listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}${(options.adminApiPath ?? '/api').replace(/\/+$/, '')}`;
    const call = async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.adminApiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${String(answer.code)}: ${String(answer.message)}`);
      return answer;
    };
    const connector = await call('POST', '/user-sync/connectors', { ...TEST_CONNECTOR, ...options.connector, createDirectory: true });
    await call('PUT', '/alb-auth/settings', { userSync: { enabled: true, connectorId: connector.id }, accessGroups: [], ...options.settings });
    return { connectorId: connector.id as string, directoryId: connector.directoryId as string };
  } finally {
    if (!listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
