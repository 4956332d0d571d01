import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startTestAlb, TestAlb } from '@alb-usersync/nestjs/testing';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppModule } from '../src/app.module';

/** UserSync's optional peers: none is installed in an app that uses AlbAuth alone. */
const USER_SYNC_PEERS = ['typeorm', '@nestjs/typeorm', '@nestjs/schedule', '@nestjs/swagger', 're2', 'cron', 'scim-patch', 'scim2-parse-filter', 'unicode-confusables', 'class-validator', 'class-transformer', '@nestjs/mapped-types'];

describe("a second host (Express) with AlbAuthModule alone, its routes behind the host's AuthGuard('alb'): nothing of UserSync installed", () => {
  let alb: TestAlb;
  let app: INestApplication;
  let base: string;

  const get = async (path: string, token?: string) => {
    const response = await fetch(`${base}${path}`, { headers: token ? { 'x-amzn-oidc-data': token } : {} });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, any> };
  };

  before(async () => {
    for (const absent of USER_SYNC_PEERS) assert.throws(() => require.resolve(absent), /Cannot find module/, `${absent} is not installed`);
    alb = await startTestAlb();
    Object.assign(process.env, { ALB_ARN: alb.arn, ALB_ISSUER: alb.issuer, ALB_CLIENT_ID: alb.clientId, ALB_KEY_ENDPOINT: alb.keyEndpoint });
    app = await NestFactory.create(AppModule, { logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  after(async () => {
    await app?.close();
    await alb?.close();
  });

  it('refuses without a token: 401 contract JSON', async () => {
    const answer = await get('/hello');
    assert.equal(answer.status, 401);
    assert.match(answer.type, /^application\/json/);
    assert.equal(answer.body.code, 'TOKEN_MISSING');
    assert.equal(answer.body.statusCode, 401);
  });

  it("accepts a real ALB-format token: @CurrentUser() is the principal (the token's identity) under AuthGuard('alb') too", async () => {
    const answer = await get('/hello', alb.sign({ sub: 'sub-1', email: 'ada@example.com' }));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { hello: 'ada@example.com', sub: 'sub-1', groups: [] });
  });

  it('the package root (UserSync) says what is missing and where AlbAuth alone lives', () => {
    assert.throws(() => require('@alb-usersync/nestjs'), /UserSyncModule needs [^]*npm install [^]*'@alb-usersync\/nestjs\/alb-auth'/);
  });

  it('refuses a token from an untrusted load balancer: 401 SIGNER_NOT_TRUSTED', async () => {
    const answer = await get('/hello', alb.sign({ sub: 'sub-1' }, { header: { signer: 'arn:aws:elasticloadbalancing:eu-west-1:999999999999:loadbalancer/app/other/0123456789abcdef' } }));
    assert.equal(answer.status, 401);
    assert.equal(answer.body.code, 'SIGNER_NOT_TRUSTED');
  });

  it("@RequireGroups under AuthGuard('alb'): 403 FORBIDDEN contract JSON, never skipped", async () => {
    const answer = await get('/hello/admins', alb.sign({ sub: 'sub-1', email: 'ada@example.com' }));
    assert.equal(answer.status, 403);
    assert.equal(answer.body.code, 'FORBIDDEN');
  });
});
