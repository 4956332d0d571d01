import { Controller, Get, INestApplication, Injectable, Module, Type, UseGuards, ValidationPipe } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Interval, ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { AlbAuthModule } from '../../src/alb-auth/alb-auth.module';
import type { AlbPrincipal } from '../../src/alb-auth/alb-principal';
import { CurrentUser } from '../../src/alb-auth/decorators/current-user.decorator';
import { RequireGroups } from '../../src/alb-auth/decorators/require-groups.decorator';
import { SQLITE_MIGRATIONS } from '../../src/database/migrations';
import { readyHttpAdapter } from '../../src/http/http-adapter';
import { ALB_USERSYNC_ENTITIES } from '../../src/user-sync/store/entities';
import { UserSyncModule } from '../../src/user-sync/user-sync.module';
import { adminClient, enableJit } from '../support/admin-client';
import { TEST_ALB } from '../support/alb-test-signer';
import { assertError, assertStatus } from '../support/http';
import { ADMIN_TOKEN } from '../support/test-app';
import { ALB_AUTH_OPTIONS, enableTestUserSync, startTestAlb, testAlbOptions } from '../../src/testing';
import { useKeyServer } from '../support/test-stack';

/** Routes as Nest teams protect them with @nestjs/passport: the host's own AuthGuard('alb'), no global guard. */
@Controller('payroll')
@UseGuards(AuthGuard('alb'))
class PayrollController {
  @Get()
  @RequireGroups('finance')
  list(@CurrentUser() user: AlbPrincipal) {
    return { username: user.username, groups: user.groups, sub: user.token.sub };
  }

  @Get('me')
  me(@CurrentUser() user: AlbPrincipal) {
    return { username: user.username, groups: user.groups };
  }
}

/** The guard written on the method, below the group check: the check must not depend on the order. */
@Controller('audit-trail')
class AuditTrailController {
  @Get()
  @RequireGroups('auditors')
  @UseGuards(AuthGuard('alb'))
  list() {
    return { ok: true };
  }

  /** No guard at all but the group check: it authenticates by itself, never skipped. */
  @Get('unguarded')
  @RequireGroups('auditors')
  unguarded() {
    return { ok: true };
  }
}

/** A class's group check and a method's both hold: the method never loosens the class. */
@Controller('board')
@UseGuards(AuthGuard('alb'))
@RequireGroups('board')
class BoardController {
  @Get('minutes')
  @RequireGroups('secretaries')
  minutes() {
    return { ok: true };
  }
}

@Injectable()
class Heartbeat {
  ticks = 0;
  @Interval(100)
  beat() {
    this.ticks++;
  }
}

@Module({ providers: [Heartbeat], exports: [Heartbeat] })
class HeartbeatModule {}

describe('UserSync and AlbAuth in host apps shaped as Nest teams write them', () => {
  const { signer, keys } = useKeyServer();
  const database = () => TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: ALB_USERSYNC_ENTITIES, migrations: SQLITE_MIGRATIONS, migrationsRun: true });
  const albAuth = (extra: object = {}) => AlbAuthModule.forRoot({ arns: [TEST_ALB.arn], issuer: TEST_ALB.issuer, clientIds: [TEST_ALB.clientId], keyEndpoint: keys.url, ...extra });
  const start = async (imports: unknown[], controllers: Type[], configure: (app: INestApplication) => void = () => undefined): Promise<INestApplication> => {
    const moduleRef = await Test.createTestingModule({ imports: imports as never[], controllers }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    configure(app);
    await app.init();
    await readyHttpAdapter(app);
    return app;
  };
  const token = (sub: string, groups: string[]) => signer.sign({ claims: { sub, email: `${sub}@example.com`, groups } });

  describe("the host's AuthGuard('alb') and @RequireGroups", () => {
    let app: INestApplication;
    before(async () => {
      app = await start([database(), albAuth(), UserSyncModule.forRoot({ adminApiToken: ADMIN_TOKEN })], [PayrollController, AuditTrailController, BoardController]);
      await enableJit(adminClient(request(app.getHttpServer())));
    });
    after(() => app?.close());

    it('refuses a user outside the group (403), lets a member in with the provisioned principal', async () => {
      const http = request(app.getHttpServer());
      assertError(await http.get('/payroll').set('x-amzn-oidc-data', token('ops-1', ['ops'])), 403, 'FORBIDDEN');
      const member = await http.get('/payroll').set('x-amzn-oidc-data', token('fin-1', ['finance']));
      assertStatus(member, 200);
      assert.deepEqual(member.body, { username: 'fin-1@example.com', groups: ['finance'], sub: 'fin-1' });
      const me = await http.get('/payroll/me').set('x-amzn-oidc-data', token('ops-1', ['ops']));
      assert.deepEqual(me.body, { username: 'ops-1@example.com', groups: ['ops'] }, '@CurrentUser() is the principal under AuthGuard(alb) too');
      assertError(await http.get('/payroll'), 401, 'TOKEN_MISSING');
    });

    it('a class-level and a method-level @RequireGroups both hold: one of each', async () => {
      const http = request(app.getHttpServer());
      assertError(await http.get('/board/minutes').set('x-amzn-oidc-data', token('sec-1', ['secretaries'])), 403, 'FORBIDDEN');
      assertError(await http.get('/board/minutes').set('x-amzn-oidc-data', token('brd-1', ['board'])), 403, 'FORBIDDEN');
      assertStatus(await http.get('/board/minutes').set('x-amzn-oidc-data', token('both-1', ['board', 'secretaries'])), 200);
    });

    it('holds whatever the order of the guards, and with no guard but the group check', async () => {
      const http = request(app.getHttpServer());
      for (const path of ['/audit-trail', '/audit-trail/unguarded']) {
        assertError(await http.get(path), 401, 'TOKEN_MISSING');
        assertError(await http.get(path).set('x-amzn-oidc-data', token('ops-2', ['ops'])), 403, 'FORBIDDEN');
        assertStatus(await http.get(path).set('x-amzn-oidc-data', token('aud-1', ['auditors'])), 200);
      }
    });
  });

  describe("the host's own scheduler", () => {
    let app: INestApplication;
    before(async () => {
      app = await start([ScheduleModule.forRoot(), HeartbeatModule, database(), albAuth(), UserSyncModule.forRoot({ adminApiToken: ADMIN_TOKEN })], []);
    });
    after(() => app?.close());

    it("runs the host's @Interval once per period: UserSync registers no scheduler of its own", async () => {
      const heartbeat = app.get(Heartbeat);
      const started = heartbeat.ticks;
      const startedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 1050));
      const periods = (Date.now() - startedAt) / 100;
      const ticks = heartbeat.ticks - started;
      assert.ok(ticks <= Math.ceil(periods) + 1 && ticks >= 3, `${ticks} ticks in ${periods.toFixed(1)} periods`);
    });
  });

  describe('routes the host chooses: moved, left out, behind a global prefix', () => {
    let app: INestApplication;
    before(async () => {
      app = await start(
        [database(), albAuth({ routes: { logout: 'auth/logout' } }), UserSyncModule.forRoot({ adminApiToken: ADMIN_TOKEN, routes: { adminApi: '', scim: false } })],
        [PayrollController],
        (host) => host.setGlobalPrefix('api'),
      );
    });
    after(() => app?.close());

    it('serves the admin API at /api/user-sync (not /api/api/…), no SCIM, /logout where asked', async () => {
      const http = request(app.getHttpServer());
      const admin = (path: string) => http.get(path).set('authorization', `Bearer ${ADMIN_TOKEN}`);
      assertStatus(await admin('/api/user-sync/directories'), 200);
      assertStatus(await admin('/api/alb-auth/settings'), 200);
      assert.equal((await admin('/api/api/user-sync/directories')).status, 404);
      assert.equal((await admin('/api/scim/v2/Users')).status, 404);
      assert.equal((await admin('/scim/v2/Users')).status, 404);
      assert.equal((await http.get('/api/logout')).status, 404);
      assertStatus(await http.get('/api/auth/logout'), 200);
    });

    it('refuses a route option that is no path', async () => {
      await assert.rejects(async () => UserSyncModule.forRoot({ routes: { adminApi: '../x' } }), /routes\.adminApi: a path/);
      await assert.rejects(async () => AlbAuthModule.forRoot({ arns: [TEST_ALB.arn], issuer: TEST_ALB.issuer, routes: { logout: 'a b' } }), /routes\.logout: a path/);
    });
  });

  describe("a host's strict global ValidationPipe", () => {
    let plain: INestApplication;
    let strict: INestApplication;
    before(async () => {
      plain = await start([database(), albAuth(), UserSyncModule.forRoot({ adminApiToken: ADMIN_TOKEN })], []);
      strict = await start([database(), albAuth(), UserSyncModule.forRoot({ adminApiToken: ADMIN_TOKEN })], [], (host) =>
        host.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true })),
      );
    });
    after(async () => {
      await plain?.close();
      await strict?.close();
    });

    it('leaves the admin API its own messages (field: problem), and the documented bodies accepted', async () => {
      const bad = [
        ['post', '/api/user-sync/directories', { name: 'X', colour: 'red' }],
        ['post', '/api/user-sync/connectors', { name: 'C', type: 'jit', createDirectory: true, mappings: [{ attribute: 'username', sources: [] }] }],
        ['get', '/api/user-sync/directories?limit=101', undefined],
      ] as const;
      for (const [method, path, body] of bad) {
        const send = (app: INestApplication) => {
          const call = request(app.getHttpServer())[method](path).set('authorization', `Bearer ${ADMIN_TOKEN}`);
          return body === undefined ? call : call.send(body);
        };
        const [expected, actual] = [await send(plain), await send(strict)];
        assertError(expected, 400, 'VALIDATION_FAILED');
        assert.deepEqual(actual.body.message, expected.body.message, `${method} ${path}`);
        assert.equal(actual.body.code, 'VALIDATION_FAILED');
      }
      await enableJit(adminClient(request(strict.getHttpServer())));
    });
  });

  describe('the testing recipe: the test ALB by override, user sync on in one call', () => {
    it('signs in a user of the test ALB through a host module configured for the real one', async () => {
      const alb = await startTestAlb();
      const moduleRef = await Test.createTestingModule({
        imports: [database(), AlbAuthModule.forRoot({ arns: ['arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/prod/0123456789abcdef'], issuer: 'https://prod.example' }), UserSyncModule.forRoot({ adminApiToken: ADMIN_TOKEN })],
        controllers: [PayrollController],
      })
        .overrideProvider(ALB_AUTH_OPTIONS)
        .useValue(testAlbOptions(alb))
        .compile();
      const app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      try {
        const { directoryId } = await enableTestUserSync(app, { adminApiToken: ADMIN_TOKEN, settings: { accessGroups: ['finance'] } });
        assert.match(directoryId, /^[0-9a-f-]{36}$/);
        const http = request(app.getHttpServer());
        const member = await http.get('/payroll').set('x-amzn-oidc-data', alb.sign({ sub: 'r-1', email: 'Recipe@Example.com', groups: ['finance'] }));
        assertStatus(member, 200);
        assert.equal(member.body.username, 'recipe@example.com');
        assertError(await http.get('/payroll/me').set('x-amzn-oidc-data', alb.sign({ sub: 'r-2', email: 'other@example.com', groups: ['ops'] })), 403, 'NO_APPLICATION_ACCESS');
      } finally {
        await app.close();
        await alb.close();
      }
    });
  });
});
