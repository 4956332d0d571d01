import { INestApplication } from '@nestjs/common';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { DataSource, DataSourceOptions } from 'typeorm';
import { isDatabaseUnavailable } from '../../src/common/errors/database-unavailable';
import { DatabaseBounds } from '../../src/database/database-bounds.service';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { parseDatabaseUrl } from '../../src/database/database-url';
import { AdminClient, adminClient, enableJit } from '../support/admin-client';
import { AlbTestSigner } from '../support/alb-test-signer';
import { assertError, assertStatus } from '../support/http';
import { assertScimError, scimClient } from '../support/scim-client';
import { useKeyServer } from '../support/test-stack';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, TEST_DATABASE_URL, testConfig } from '../support/test-app';
import { ALB_USERSYNC_ENTITIES } from '../../src/user-sync/store/entities';

describe('Faults', () => {
  const { signer, keys } = useKeyServer();

  describe('a slow key endpoint', () => {
    let app: INestApplication;
    before(async () => {
      app = await createTestApp(testConfig(keys.url));
      await enableJit(adminClient(request(app.getHttpServer())));
    });
    after(() => app?.close());

    it('does not stall requests whose key is cached', async () => {
      const http = request(app.getHttpServer());
      assertStatus(await http.get('/api/me').set('x-amzn-oidc-data', signer.sign({ claims: { sub: 'warm', email: 'warm@example.com' } })), 200);
      const slowSigner = new AlbTestSigner();
      keys.add(slowSigner.kid, slowSigner.publicPem);
      // Under the key fetch's 3 s bound, and long enough for ten first logins on a loaded machine.
      keys.delayMs = 2500;
      const order: string[] = [];
      const slow = http
        .get('/api/me')
        .set('x-amzn-oidc-data', slowSigner.sign({ claims: { sub: 'slow', email: 'slow@example.com' } }))
        .then((response) => (order.push('slow'), response));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const fast = await Promise.all(
        Array.from({ length: 10 }, (_, i) => http.get('/api/me').set('x-amzn-oidc-data', signer.sign({ claims: { sub: `fast-${i}`, email: `fast${i}@example.com` } }))),
      );
      order.push('fast');
      assert.ok(fast.every((response) => response.status === 200));
      assertStatus(await slow, 200);
      assert.deepEqual(order, ['fast', 'slow']);
      keys.delayMs = 0;
    });
  });

  describe('the database going away and coming back', { skip: !TEST_DATABASE_URL.startsWith('mysql') && 'needs MySQL/MariaDB (SQLite is embedded)' }, () => {
    const target = new URL(TEST_DATABASE_URL);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 3306));
    let app: INestApplication;
    let http: ReturnType<typeof request>;
    let admin: AdminClient;
    let scimToken = '';

    before(async () => {
      await proxy.up();
      const viaProxy = new URL(TEST_DATABASE_URL);
      viaProxy.port = String(proxy.port);
      app = await createTestApp(testConfig(keys.url, { DATABASE_URL: viaProxy.toString() }));
      http = request(app.getHttpServer());
      admin = adminClient(http);
      const { directoryId } = await enableJit(admin, { name: `Faults ${randomUUID()}` });
      ({ token: scimToken } = await scimClient(http, admin, directoryId));
    });
    after(async () => {
      await app?.close();
      await proxy.down();
    });

    it('answers 503 with a code while it is down, and recovers without a restart', async () => {
      const known = signer.sign({ claims: { sub: 'known', email: 'known@example.com' } });
      assertStatus(await http.get('/api/me').set('x-amzn-oidc-data', known), 200);
      await proxy.down();

      const stranger = () => signer.sign({ claims: { sub: 'stranger', email: 'stranger@example.com' } });
      assertError(await http.get('/api/me').set('x-amzn-oidc-data', stranger()), 503, 'DATABASE_UNAVAILABLE');
      assertError(await http.get('/health'), 503, 'SERVICE_UNAVAILABLE');
      // Liveness touches no dependency: a database outage must not get the process restarted.
      const live = await http.get('/health/live');
      assertStatus(live, 200);
      assert.deepEqual(live.body, { status: 'ok' });
      // Steady-state traffic of a known user is served from the caches meanwhile.
      assertStatus(await http.get('/api/me').set('x-amzn-oidc-data', known), 200);

      await proxy.up();
      assertStatus(await http.get('/api/me').set('x-amzn-oidc-data', stranger()), 200);
      assertStatus(await http.get('/health'), 200);
    });

    it('drops a connection whose query timed out: the next query on a one-connection pool is bounded too', async () => {
      // mysql2 starts a queued statement's timer only when it runs: a connection kept with a
      // stuck statement would make the next query on it wait without bound.
      const viaProxy = new URL(TEST_DATABASE_URL);
      viaProxy.port = String(proxy.port);
      const options = buildDataSourceOptions(parseDatabaseUrl(viaProxy.toString()), ALB_USERSYNC_ENTITIES);
      const dataSource = await new DataSource({ ...options, migrationsRun: false, extra: { connectionLimit: 1 } } as DataSourceOptions).initialize();
      new DatabaseBounds(dataSource).onModuleInit();
      try {
        await dataSource.query('SELECT 1');
        proxy.blackhole();
        for (let i = 0; i < 2; i++) {
          const started = Date.now();
          const outcome = await Promise.race([
            dataSource.query('SELECT 1').then(
              () => 'answered',
              (error: { driverError?: { code?: string }; code?: string }) => error.driverError?.code ?? error.code,
            ),
            new Promise((resolve) => setTimeout(() => resolve('hung'), 8000)),
          ]);
          assert.ok(isDatabaseUnavailable({ code: outcome }), `query ${i}: ${String(outcome)} after ${Date.now() - started} ms`);
        }
      } finally {
        proxy.resume();
        await dataSource.destroy();
      }
    });

    it('a partition that closes nothing: logins, admin and SCIM calls answer 503 within 6 s, and recover when it heals', async () => {
      const tokens = Array.from({ length: 15 }, (_, i) => signer.sign({ claims: { sub: `cut-${i}`, email: `cut${i}@example.com` } }));
      proxy.blackhole();
      const started = Date.now();
      const [calls, scimCalls] = await Promise.all([
        Promise.all([
          ...tokens.map((token) => http.get('/api/me').set('x-amzn-oidc-data', token).timeout(10_000)),
          ...Array.from({ length: 15 }, () => admin.get('/api/user-sync/directories').timeout(10_000)),
        ]),
        Promise.all(Array.from({ length: 5 }, () => http.get('/scim/v2/Users').set('authorization', `Bearer ${scimToken}`).timeout(10_000))),
      ]);
      const took = Date.now() - started;
      for (const response of calls) assertError(response, 503, 'DATABASE_UNAVAILABLE');
      for (const response of scimCalls) assertScimError(response, 503);
      assert.ok(took < 6000, `answered after ${took} ms`);

      // A partition that lasts: the next wave is bounded too.
      const second = Date.now();
      const again = await Promise.all(Array.from({ length: 15 }, () => admin.get('/api/user-sync/directories').timeout(10_000)));
      for (const response of again) assertError(response, 503, 'DATABASE_UNAVAILABLE');
      assert.ok(Date.now() - second < 6000, `the second wave answered after ${Date.now() - second} ms`);

      proxy.resume();
      assertStatus(await http.get('/api/me').set('x-amzn-oidc-data', signer.sign({ claims: { sub: 'healed', email: 'healed@example.com' } })), 200);
      assertStatus(await admin.get('/api/user-sync/directories'), 200);
      assertStatus(await http.get('/scim/v2/Users').set('authorization', `Bearer ${scimToken}`), 200);

      // Readiness within its own bound (2 s): a connection at hand whose ping goes unanswered would
      // otherwise wait for the database's query bound (3 s).
      proxy.blackhole();
      const probed = Date.now();
      assertError(await http.get('/health').timeout(10_000), 503, 'SERVICE_UNAVAILABLE');
      const probeTook = Date.now() - probed;
      proxy.resume();
      assert.ok(probeTook < 2900, `readiness answered after ${probeTook} ms`);
    });
  });
});
