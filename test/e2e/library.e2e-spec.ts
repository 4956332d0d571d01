import { Controller, Get, INestApplication, Injectable, Module, Type, UseGuards } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { AlbAuthGuard } from '../../src/alb-auth/alb-auth.guard';
import { AlbAuthModule } from '../../src/alb-auth/alb-auth.module';
import { AlbPrincipal } from '../../src/alb-auth/alb-principal';
import { AuthenticatedBy } from '../../src/alb-auth/decorators/authenticated-by.decorator';
import { CurrentUser } from '../../src/alb-auth/decorators/current-user.decorator';
import { Public } from '../../src/alb-auth/decorators/public.decorator';
import { RequireGroups } from '../../src/alb-auth/decorators/require-groups.decorator';
import { readyHttpAdapter } from '../../src/http/http-adapter';
import { ALB_USERSYNC_ENTITIES } from '../../src/user-sync/store/entities';
import { SQLITE_MIGRATIONS } from '../../src/database/migrations';
import { AttributeTransformation, TransformFn } from '../../src/user-sync/mapping/attribute-transformation.interface';
import { CredentialsGuard } from '../../src/user-sync/auth/authenticated.decorator';
import { UserSyncModule } from '../../src/user-sync/user-sync.module';
import { adminClient, enableJit } from '../support/admin-client';
import { TEST_ALB } from '../support/alb-test-signer';
import { assertError, assertStatus } from '../support/http';
import { useKeyServer } from '../support/test-stack';
import { ADMIN_TOKEN } from '../support/test-app';

@Controller('reports')
class ReportsController {
  @Get()
  @RequireGroups('finance')
  list(@CurrentUser() user: AlbPrincipal) {
    return { username: user.username, groups: user.groups };
  }

  @Get('status')
  @Public()
  status() {
    return { ok: true };
  }

  @Get('whoami')
  whoami(@CurrentUser() user: AlbPrincipal) {
    return { username: user.username, sub: user.token.sub };
  }
}

/** A host route that borrows UserSync's guard without @AdminApi(): the guard must not take it for an admin route. */
@Controller('host-sso')
@AuthenticatedBy('host-sso')
@UseGuards(CredentialsGuard)
class HostSsoController {
  @Get()
  get() {
    return { ok: true };
  }
}

@Injectable()
class HostConfig {
  readonly arns = [TEST_ALB.arn];
  readonly tenant = 'acme';
  readonly adminToken = ADMIN_TOKEN;
}

@Module({ providers: [HostConfig], exports: [HostConfig] })
class HostConfigModule {}

/** A custom transformation that needs a provider of an ordinary (not global) host module. */
@Injectable()
class TenantPrefixTransformation implements AttributeTransformation {
  readonly type = 'tenantPrefix';
  readonly description = "Prefixes the host's tenant";
  readonly options = {};
  constructor(private readonly config: HostConfig) {}
  compile(): TransformFn {
    return (value) => `${this.config.tenant}-${value}`;
  }
}

/** The modules as a host app uses them (CONTRACT.md §7), outside the reference service. */
describe('alb-usersync as a library in a host Nest app', () => {
  const { signer, keys } = useKeyServer();

  const start = async (imports: unknown[], controllers: Type[] = []): Promise<INestApplication> => {
    const moduleRef = await Test.createTestingModule({
      imports: imports as never[],
      controllers: [ReportsController, ...controllers],
      // No exception filter: the refusals must reach the client as the contract's JSON anyway.
      providers: [{ provide: APP_GUARD, useExisting: AlbAuthGuard }],
    }).compile();
    // A host's own plain adapter (not the service's tuned one): Fastify unless HTTP_ADAPTER=express.
    const fastify = (process.env.HTTP_ADAPTER ?? 'fastify') === 'fastify';
    const app = fastify ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
    await app.init();
    await readyHttpAdapter(app);
    return app;
  };

  describe('AlbAuthModule.forRootAsync alone (no database)', () => {
    let app: INestApplication;
    before(async () => {
      app = await start([
        AlbAuthModule.forRootAsync({
          imports: [HostConfigModule],
          inject: [HostConfig],
          useFactory: (config: HostConfig) => ({ arns: config.arns, issuer: TEST_ALB.issuer, keyEndpoint: keys.url }),
        }),
      ]);
    });
    after(() => app?.close());

    it('protects routes, leaves @Public ones open, and gives @CurrentUser the token identity', async () => {
      const http = request(app.getHttpServer());
      assertStatus(await http.get('/reports/status'), 200);
      assertError(await http.get('/reports/whoami'), 401, 'TOKEN_MISSING');
      const me = await http.get('/reports/whoami').set('x-amzn-oidc-data', signer.sign({ claims: { sub: 'lib-sub', email: 'lib@example.com', username: undefined } }));
      assertStatus(me, 200);
      assert.deepEqual(me.body, { username: 'lib@example.com', sub: 'lib-sub' });
      // Without UserSync there are no groups: @RequireGroups refuses.
      assertError(await http.get('/reports').set('x-amzn-oidc-data', signer.sign()), 403, 'FORBIDDEN');
    });

    it('serves GET /logout on its own: expires the ALB session cookies', async () => {
      const response = await request(app.getHttpServer()).get('/logout');
      assertStatus(response, 200);
      assert.deepEqual(response.body, { loggedOut: true });
      const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
      assert.deepEqual(cookies.map((cookie) => cookie.split('=')[0]).sort(), ['AWSELBAuthSessionCookie', ...[0, 1, 2, 3].map((i) => `AWSELBAuthSessionCookie-${i}`)].sort());
      assert.ok(cookies.every((cookie) => cookie.includes('Max-Age=0')));
    });
  });

  describe('AlbAuthModule alone, with logout options', () => {
    let app: INestApplication;
    before(async () => {
      app = await start([
        AlbAuthModule.forRoot({ arns: [TEST_ALB.arn], issuer: TEST_ALB.issuer, keyEndpoint: keys.url, logout: { redirectUrl: 'https://idp.example/logout' } }),
      ]);
    });
    after(() => app?.close());

    it('redirects GET /logout to the configured URL', async () => {
      const response = await request(app.getHttpServer()).get('/logout');
      assertStatus(response, 302);
      assert.equal(response.headers.location, 'https://idp.example/logout');
    });
  });

  describe('with UserSyncModule and the host app’s own TypeORM connection', () => {
    let app: INestApplication;
    before(async () => {
      app = await start([
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: ALB_USERSYNC_ENTITIES, migrations: SQLITE_MIGRATIONS, migrationsRun: true }),
        AlbAuthModule.forRoot({ arns: [TEST_ALB.arn], issuer: TEST_ALB.issuer, clientIds: [TEST_ALB.clientId], keyEndpoint: keys.url }),
        UserSyncModule.forRoot({ adminApiToken: ADMIN_TOKEN }),
      ], [HostSsoController]);
      await enableJit(adminClient(request(app.getHttpServer())));
    });
    after(() => app?.close());

    it('provisions the user in the guard and applies @RequireGroups to its groups', async () => {
      const http = request(app.getHttpServer());
      const finance = await http.get('/reports').set('x-amzn-oidc-data', signer.sign({ claims: { sub: 'f-1', email: 'fin@example.com', groups: ['finance'] } }));
      assertStatus(finance, 200);
      assert.deepEqual(finance.body, { username: 'fin@example.com', groups: ['finance'] });
      assertError(await http.get('/reports').set('x-amzn-oidc-data', signer.sign({ claims: { sub: 'o-1', email: 'ops@example.com', groups: ['ops'] } })), 403, 'FORBIDDEN');
    });

    it("UserSync's guard authenticates only routes marked @AdminApi(): elsewhere even the admin token is refused", async () => {
      const http = request(app.getHttpServer());
      assertStatus(await http.get('/api/alb-auth/settings').set('authorization', `Bearer ${ADMIN_TOKEN}`), 200);
      assertError(await http.get('/host-sso').set('authorization', `Bearer ${ADMIN_TOKEN}`), 403, 'FORBIDDEN');
    });
  });

  for (const variant of ['forRootAsync', 'forRoot'] as const) describe(`UserSyncModule.${variant} with a custom transformation that injects a host module's provider`, () => {
    let app: INestApplication;
    before(async () => {
      app = await start([
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: ALB_USERSYNC_ENTITIES, migrations: SQLITE_MIGRATIONS, migrationsRun: true }),
        AlbAuthModule.forRoot({ arns: [TEST_ALB.arn], issuer: TEST_ALB.issuer, clientIds: [TEST_ALB.clientId], keyEndpoint: keys.url }),
        variant === 'forRootAsync'
          ? UserSyncModule.forRootAsync({
              imports: [HostConfigModule],
              inject: [HostConfig],
              useFactory: (config: HostConfig) => ({ adminApiToken: config.adminToken }),
              transformations: [TenantPrefixTransformation],
            })
          : UserSyncModule.forRoot({ adminApiToken: ADMIN_TOKEN, transformations: [TenantPrefixTransformation], imports: [HostConfigModule] }),
      ]);
    });
    after(() => app?.close());

    it('starts, lists the custom type and maps with the host\'s value', async () => {
      const http = request(app.getHttpServer());
      const admin = adminClient(http);
      const types = await admin.get('/api/user-sync/transformations');
      assertStatus(types, 200);
      assert.ok(types.body.items.some((type: { type: string }) => type.type === 'tenantPrefix'));
      await enableJit(admin, { mappings: [{ attribute: 'username', sources: ['email'], transformations: [{ type: 'tenantPrefix' }] }, { attribute: 'displayName', sources: ['email'] }, { attribute: 'email', sources: ['email'] }] });
      const me = await http.get('/reports/whoami').set('x-amzn-oidc-data', signer.sign({ claims: { sub: 't-1', email: 'ten@example.com' } }));
      assertStatus(me, 200);
      assert.equal(me.body.username, 'acme-ten@example.com');
    });
  });

  it('refuses invalid module options at start, naming them', async () => {
    await assert.rejects(start([AlbAuthModule.forRoot({ arns: ['not-an-arn'], issuer: '' })]), /arns: "not-an-arn" is not an ALB ARN[\s\S]*issuer: required/);
  });
});
