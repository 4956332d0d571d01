import { INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Interval, ScheduleModule } from '@nestjs/schedule';
import { startTestAlb, TestAlb } from '@alb-usersync/nestjs/testing';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AppModule } from '../src/app.module';
import { setUp } from '../src/main';

/** The host's own scheduled job, beside UserSync: it must run once per period, not twice. */
@Injectable()
class Heartbeat {
  ticks = 0;
  @Interval(100)
  beat() {
    this.ticks++;
  }
}

@Module({ imports: [AppModule, ScheduleModule.forRoot()], providers: [Heartbeat] })
class AppWithJobs {}

const ADMIN_API_TOKEN = 'host-app-admin-token-0123456789abcdef';

describe('a host Nest app (Express) with the packed @alb-usersync/nestjs: AlbAuth + UserSync', () => {
  let alb: TestAlb;
  let app: INestApplication;
  let base: string;

  const call = async (path: string, init: { token?: string; admin?: boolean; method?: string; body?: unknown } = {}) => {
    const headers: Record<string, string> = {};
    if (init.token) headers['x-amzn-oidc-data'] = init.token;
    if (init.admin) headers.authorization = `Bearer ${ADMIN_API_TOKEN}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? null : JSON.stringify(init.body) });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, any> };
  };
  const assertRefusal = (answer: { status: number; type: string; body: Record<string, any> }, status: number, code: string) => {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.match(answer.type, /^application\/json/);
    assert.equal(answer.body.statusCode, status);
    assert.equal(answer.body.code, code);
    assert.equal(typeof answer.body.error, 'string');
    assert.equal(typeof answer.body.message, 'string');
  };
  const person = (email: string, groups: string[]) => ({ sub: `sub-${email}`, email, name: email.split('@')[0], groups });

  before(async () => {
    alb = await startTestAlb();
    Object.assign(process.env, {
      ALB_ARN: alb.arn,
      ALB_ISSUER: alb.issuer,
      ALB_CLIENT_ID: alb.clientId,
      ALB_KEY_ENDPOINT: alb.keyEndpoint,
      ADMIN_API_TOKEN,
      DATABASE_FILE: ':memory:',
    });
    app = setUp(await NestFactory.create(AppWithJobs, { logger: ['error'] }));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  after(async () => {
    await app?.close();
    await alb?.close();
  });

  it('refuses a protected route without a token: 401, the contract JSON, no filter registered', async () => {
    assertRefusal(await call('/api/reports'), 401, 'TOKEN_MISSING');
  });

  it('answers a @Public() route without a token', async () => {
    const answer = await call('/api/reports/status');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { ok: true });
  });

  it('refuses a token signed by another key: 401 TOKEN_INVALID', async () => {
    const forger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    assertRefusal(await call('/api/reports', { token: alb.sign(person('ada.lovelace@example.com', ['finance']), { privateKey: forger }) }), 401, 'TOKEN_INVALID');
  });

  it("lists the host's own transformation in the admin API", async () => {
    const answer = await call('/api/user-sync/transformations', { admin: true });
    assert.equal(answer.status, 200);
    assert.ok(answer.body.items.some((item: { type: string }) => item.type === 'hrDepartment'), JSON.stringify(answer.body.items.map((item: { type: string }) => item.type)));
  });

  it('refuses the admin API without credentials (401) and a bad connector (400), both as contract JSON', async () => {
    assertRefusal(await call('/api/user-sync/connectors'), 401, 'TOKEN_MISSING');
    assertRefusal(await call('/api/user-sync/connectors', { admin: true, method: 'POST', body: { name: 'Bad', mappings: 'none', unknownField: 1 } }), 400, 'VALIDATION_FAILED');
  });

  it('creates a JIT connector using the host transformation, and turns user sync on with an access group', async () => {
    const connector = await call('/api/user-sync/connectors', {
      admin: true,
      method: 'POST',
      body: {
        name: 'Company IdP',
        createDirectory: true,
        mappings: [
          { attribute: 'username', sources: ['email'], transformations: [{ type: 'lowercase' }, { type: 'stripDomain' }] },
          { attribute: 'displayName', sources: ['name'] },
          { attribute: 'email', sources: ['email'] },
          { attribute: 'groups', sources: ['groups'] },
          { attribute: 'attributes.department', sources: ['email'], transformations: [{ type: 'hrDepartment' }] },
        ],
      },
    });
    assert.equal(connector.status, 201, JSON.stringify(connector.body));
    // A partial update: its DTO is a mapped type, validated like the full one without @nestjs/swagger installed.
    assertRefusal(await call(`/api/user-sync/connectors/${connector.body.id}`, { admin: true, method: 'PATCH', body: { name: 42 } }), 400, 'VALIDATION_FAILED');
    const renamed = await call(`/api/user-sync/connectors/${connector.body.id}`, { admin: true, method: 'PATCH', body: { name: 'Company SSO' } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, 'Company SSO');
    const settings = await call('/api/alb-auth/settings', { admin: true, method: 'PUT', body: { userSync: { enabled: true, connectorId: connector.body.id }, accessGroups: ['staff'] } });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
  });

  it('accepts a real ALB-format token: the user is provisioned just in time, with the department from the host transformation', async () => {
    const answer = await call('/api/reports', { token: alb.sign(person('Ada.Lovelace@example.com', ['staff', 'finance'])) });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { username: 'ada.lovelace', groups: ['finance', 'staff'], department: 'Analytical Engines' });
  });

  it('@RequireGroups refuses a user outside the group: 403 FORBIDDEN', async () => {
    assertRefusal(await call('/api/reports', { token: alb.sign(person('grace.hopper@example.com', ['staff'])) }), 403, 'FORBIDDEN');
  });

  it('refuses a user in no application-access group: 403 NO_APPLICATION_ACCESS', async () => {
    assertRefusal(await call('/api/reports', { token: alb.sign(person('visitor@example.com', ['finance'])) }), 403, 'NO_APPLICATION_ACCESS');
  });

  it('mounts the admin API where the host says, behind its global prefix: /api/user-sync, not /api/api/…; no SCIM', async () => {
    assert.equal((await call('/api/user-sync/directories', { admin: true })).status, 200);
    assert.equal((await call('/api/api/user-sync/directories', { admin: true })).status, 404);
    assert.equal((await call('/api/scim/v2/Users', { admin: true })).status, 404);
    assert.equal((await call('/api/logout')).status, 200);
  });

  it("runs the host's own @Interval once per period: the package registers no scheduler", async () => {
    const heartbeat = app.get(Heartbeat);
    const before = heartbeat.ticks;
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1050));
    const periods = (Date.now() - started) / 100;
    const ticks = heartbeat.ticks - before;
    assert.ok(ticks >= 3 && ticks <= Math.ceil(periods) + 1, `${ticks} ticks in ${periods.toFixed(1)} periods`);
  });
});
