import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { AdminClient, enableJit } from '../support/admin-client';
import { assertError, assertStatus } from '../support/http';
import { ADMIN_TOKEN } from '../support/test-app';
import { useTestStack } from '../support/test-stack';

describe('Staying up: hostile requests', () => {
  const stack = useTestStack();
  const { signer } = stack;
  let http: ReturnType<typeof request>;
  let admin: AdminClient;
  let adminToken: string;

  before(async () => {
    ({ http, admin } = stack);
    await enableJit(admin, { name: 'Staying up' });
    adminToken = signer.sign({ claims: { sub: 'admin-1', email: 'admin@corp.example', name: 'Admin', groups: ['alb-usersync-admins'] } });
    assertStatus(await http.get('/api/me').set('x-amzn-oidc-data', adminToken), 200);
  });

  const directoryCount = async () => (await admin.get('/api/user-sync/directories?limit=100')).body.total as number;

  it('a cross-site form to an admin route, with a signed-in admin, is 415 and changes nothing', async () => {
    const before = await directoryCount();
    const forms: Array<[string, string]> = [
      ['application/x-www-form-urlencoded', 'name=evil'],
      ['text/plain', '{"name":"evil"}'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nevil\r\n--x--\r\n'],
    ];
    for (const [type, body] of forms) {
      const response = await http.post('/api/user-sync/directories').set('x-amzn-oidc-data', adminToken).set('content-type', type).send(body);
      assertError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    assertError(await http.post('/api/user-sync/directories').set('x-amzn-oidc-data', adminToken).send(), 415, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(await directoryCount(), before);
    const json = await http.post('/api/user-sync/directories').set('x-amzn-oidc-data', adminToken).set('content-type', 'application/json; charset=utf-8').send('{"name":"by json"}');
    assertStatus(json, 201);
  });

  it('a JSON body nested 5,000 deep is 400, not 500', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const response = await http
      .post('/api/user-sync/directories')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .set('content-type', 'application/json')
      .send(`{"name":"deep","description":${deep}}`);
    assertError(response, 400, 'VALIDATION_FAILED', 'deeper than 32');
  });
});
