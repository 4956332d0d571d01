import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDP_PRESETS } from '../../src/user-sync/mapping/idp-presets';
import { assertError, assertStatus } from '../support/http';
import { useTestStack } from '../support/test-stack';

/** What each preset must make of its IdP's typical claims (the samples in idp-presets.ts). */
const EXPECTED: Record<string, { username: string; displayName: string; email: string; groups: string[]; attributes?: Record<string, string> }> = {
  cognito: { username: 'jane.doe', displayName: 'Jane Doe', email: 'jane.doe@example.com', groups: ['confluence-users', 'eu-west-1_AbCdEf_Google'] },
  entra: { username: 'jane@contoso.com', displayName: 'Jane Doe', email: 'jane.doe@contoso.com', groups: ['0f3c3d2e-7b3b-4a8e-9a1f-2c1d5e6f7a8b'] },
  okta: { username: 'jane.doe@example.com', displayName: 'Jane Doe', email: 'jane.doe@example.com', groups: ['confluence-users', 'Everyone'] },
  google: { username: 'jane.doe@example.com', displayName: 'Jane Doe', email: 'jane.doe@example.com', groups: [], attributes: { hostedDomain: 'example.com' } },
  auth0: { username: 'jane.doe@example.com', displayName: 'Jane Doe', email: 'jane.doe@example.com', groups: ['confluence-users'] },
  keycloak: { username: 'jane.doe', displayName: 'Jane Doe', email: 'jane.doe@example.com', groups: ['confluence-users', 'engineering/backend'] },
};

describe('IdP presets', () => {
  const stack = useTestStack();

  it('GET /api/user-sync/presets lists every preset with its logout URL template and references', async () => {
    const response = await stack.admin.get('/api/user-sync/presets');
    assertStatus(response, 200);
    assert.deepEqual(response.body.items.map((preset: { id: string }) => preset.id).sort(), Object.keys(EXPECTED).sort());
    for (const preset of response.body.items) {
      assert.ok(preset.references.length > 0, `${preset.id} cites its sources`);
      assert.ok(preset.logoutUrl === null || /^https:\/\/.*\{logoutUri\}/.test(preset.logoutUrl), `${preset.id} logout URL`);
    }
    assertError(await stack.http.get('/api/user-sync/presets'), 401, 'TOKEN_MISSING');
  });

  for (const preset of IDP_PRESETS) {
    it(`${preset.name}: a connector from the preset maps its typical claims to a full user`, async () => {
      const created = await stack.admin.post('/api/user-sync/connectors', { name: `From ${preset.id}`, preset: preset.id, createDirectory: true });
      assertStatus(created, 201);
      assert.deepEqual(created.body.mappings, preset.connector.mappings);
      const preview = await stack.admin.post(`/api/user-sync/connectors/${created.body.id}/preview`, preset.sample);
      assertStatus(preview, 200);
      const expected = EXPECTED[preset.id];
      assert.equal(preview.body.decision, 'create', JSON.stringify(preview.body));
      assert.deepEqual(
        { username: preview.body.user.username, displayName: preview.body.user.displayName, email: preview.body.user.email },
        { username: expected.username, displayName: expected.displayName, email: expected.email },
      );
      assert.deepEqual(preview.body.groups, expected.groups);
      if (expected.attributes) assert.deepEqual(preview.body.user.attributes, expected.attributes);
    });
  }

  it('the request\'s own fields override the preset\'s; an unknown preset is refused', async () => {
    const created = await stack.admin.post('/api/user-sync/connectors', {
      name: 'Okta, own username rule',
      preset: 'okta',
      createDirectory: true,
      mappings: [{ attribute: 'username', sources: ['sub'] }, { attribute: 'displayName', sources: ['name'] }, { attribute: 'email', sources: ['email'] }],
      groups: { removeUnlisted: true },
    });
    assertStatus(created, 201);
    assert.deepEqual(created.body.mappings[0], { attribute: 'username', sources: ['sub'] });
    assert.equal(created.body.mappings.length, 3);
    assert.equal(created.body.groups.removeUnlisted, true);
    assertError(await stack.admin.post('/api/user-sync/connectors', { name: 'Nope', preset: 'nope', createDirectory: true }), 400, 'VALIDATION_FAILED');
    assertError(await stack.admin.post('/api/user-sync/connectors', { name: 'Nothing', createDirectory: true }), 400, 'VALIDATION_FAILED');
  });
});
