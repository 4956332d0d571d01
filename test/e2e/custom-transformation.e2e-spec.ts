import { INestApplication } from '@nestjs/common';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { AdminClient, adminClient, enableJit } from '../support/admin-client';
import {  } from '../support/alb-test-signer';
import { assertError, assertStatus } from '../support/http';
import { InitialsTransformation, OtherInitialsTransformation } from '../support/initials.transformation';
import { createTestApp, testConfig } from '../support/test-app';
import { useTestStack } from '../support/test-stack';

describe('A custom transformation registered by the host app', () => {
  const stack = useTestStack({ userSync: { transformations: [InitialsTransformation] } });
  const { signer, keys } = stack;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let admin: AdminClient;

  before(() => {
    ({ app, http, admin } = stack);
  });

  it('is listed with the built-in ones', async () => {
    const list = await admin.get('/api/user-sync/transformations');
    const initials = list.body.items.find((item: { type: string }) => item.type === 'initials');
    assert.deepEqual(initials, {
      type: 'initials',
      description: 'The first letter of each word, upper-cased',
      builtIn: false,
      options: [{ name: 'separator', type: 'string', required: false, description: 'put between the letters (default none)' }],
    });
  });

  it('is validated when a connector is saved and applied at login', async () => {
    assertError(
      await admin.post('/api/user-sync/connectors', {
        name: 'Bad initials',
        createDirectory: true,
        mappings: [{ attribute: 'username', sources: ['email'], transformations: [{ type: 'initials', separator: 1 }] }],
      }),
      400,
      'VALIDATION_FAILED',
      'mappings[0].transformations[0]: initials: option "separator" must be a string',
    );
    await enableJit(admin, {
      name: 'Initials JIT',
      mappings: [
        { attribute: 'username', sources: ['email'] },
        { attribute: 'displayName', sources: ['name'] },
        { attribute: 'email', sources: ['email'] },
        { attribute: 'attributes.initials', sources: ['name'], transformations: [{ type: 'initials', separator: '.' }] },
      ],
    });
    const me = await http.get('/api/me').set('x-amzn-oidc-data', signer.sign({ claims: { email: 'ada@example.com', name: 'Ada Lovelace' } }));
    assertStatus(me, 200);
    assert.deepEqual(me.body.attributes, { initials: 'A.L' });
  });

  it('stops the app at start when two transformations share a type, naming both', async () => {
    // On SQLite in memory whatever the suite's database: the failed start leaves no pool behind.
    await assert.rejects(
      createTestApp(testConfig(keys.url, { DATABASE_URL: 'sqlite::memory:' }), { userSync: { transformations: [InitialsTransformation, OtherInitialsTransformation] } }),
      /Duplicate transformation type "initials": InitialsTransformation and OtherInitialsTransformation/,
    );
  });
});
