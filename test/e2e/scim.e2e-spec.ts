import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enableJit } from '../support/admin-client';
import { assertError, assertStatus } from '../support/http';
import { useTestStack } from '../support/test-stack';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 §3.3's example user, as its IdP would push it (userName as the JIT connector maps it). */
const BJENSEN = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'bjensen@example.com',
  externalId: 'sub-bjensen',
  name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
  emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
};

describe('SCIM 2.0 service provider', () => {
  const stack = useTestStack();
  let token = '';
  let directoryId = '';
  let clientId = '';
  const scim = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object, bearer = token) => {
    const call = stack.http[method](`/scim/v2${path}`).set('authorization', `Bearer ${bearer}`);
    return body === undefined ? call : call.set('content-type', 'application/scim+json').send(JSON.stringify(body));
  };
  const scimError = (response: { status: number; body: Record<string, unknown> }, status: number, scimType?: string) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.deepEqual(response.body.schemas, [SCIM_ERROR]);
    assert.equal(response.body.status, String(status));
    if (scimType) assert.equal(response.body.scimType, scimType);
  };

  before(async () => {
    ({ directoryId } = await enableJit(stack.admin, { groups: { alwaysAssign: [], removeUnlisted: true, createMissing: true } }));
    const client = await stack.admin.post('/api/user-sync/scim-clients', { name: 'Entra ID', directoryId });
    assertStatus(client, 201);
    ({ token, id: clientId } = client.body);
    assert.ok(token.length >= 40);
    assert.equal((await stack.admin.get('/api/user-sync/scim-clients')).body.items[0].token, undefined, 'the token is shown once');
  });

  it('refuses requests without the client\'s token with a SCIM 401', async () => {
    scimError(await stack.http.get('/scim/v2/Users'), 401);
    scimError(await scim('get', '/Users', undefined, 'x'.repeat(43)), 401);
  });

  it('describes itself: ServiceProviderConfig, ResourceTypes, Schemas', async () => {
    const config = await scim('get', '/ServiceProviderConfig');
    assertStatus(config, 200);
    assert.equal(config.body.patch.supported, true);
    assert.equal(config.body.filter.supported, true);
    assert.deepEqual((await scim('get', '/ResourceTypes')).body.Resources.map((type: { id: string }) => type.id), ['User', 'Group']);
    assert.equal((await scim('get', '/Schemas')).body.totalResults, 2);
  });

  it('creates the RFC 7644 user; a second with the same userName is 409 uniqueness; an unknown id is 404', async () => {
    const created = await scim('post', '/Users', BJENSEN);
    assertStatus(created, 201);
    assert.equal(created.headers['content-type'].split(';')[0], 'application/scim+json');
    assert.equal(created.body.userName, 'bjensen@example.com');
    assert.equal(created.body.externalId, 'sub-bjensen');
    assert.equal(created.body.displayName, 'Ms. Barbara J Jensen III');
    assert.equal(created.body.active, true);
    assert.match(created.body.meta.location, /\/scim\/v2\/Users\/[0-9a-f-]{36}$/);
    scimError(await scim('post', '/Users', { ...BJENSEN, userName: 'BJensen@Example.com', externalId: 'other' }), 409, 'uniqueness');
    scimError(await scim('get', '/Users/2819c223-7f76-453a-919d-413861904646'), 404);
    scimError(await scim('post', '/Users', { schemas: BJENSEN.schemas }), 400, 'invalidValue');
  });

  it('filters (eq, co, sw, pr, and, or) with paging; a malformed filter is 400 invalidFilter', async () => {
    for (const name of ['alice', 'albert', 'bob']) {
      assertStatus(await scim('post', '/Users', { userName: `${name}@example.org`, displayName: name.toUpperCase(), emails: [{ value: `${name}@example.org`, primary: true }] }), 201);
    }
    const names = async (filter: string, paging = '') =>
      (await scim('get', `/Users?filter=${encodeURIComponent(filter)}${paging}`)).body.Resources.map((user: { userName: string }) => user.userName);
    assert.deepEqual(await names('userName eq "BJENSEN@example.com"'), ['bjensen@example.com']);
    assert.deepEqual(await names('externalId eq "sub-bjensen"'), ['bjensen@example.com']);
    assert.deepEqual(await names('userName sw "al"'), ['albert@example.org', 'alice@example.org']);
    assert.deepEqual(await names('emails co "example.org" and displayName eq "bob"'), ['bob@example.org']);
    assert.deepEqual(await names('userName eq "bob@example.org" or externalId pr'), ['bjensen@example.com', 'bob@example.org']);
    const page = await scim('get', `/Users?filter=${encodeURIComponent('emails co "example.org"')}&startIndex=2&count=1`);
    assert.equal(page.body.totalResults, 3);
    assert.equal(page.body.startIndex, 2);
    assert.equal(page.body.itemsPerPage, 1);
    assert.deepEqual(page.body.Resources.map((user: { userName: string }) => user.userName), ['alice@example.org']);
    scimError(await scim('get', `/Users?filter=${encodeURIComponent('userName eq')}`), 400, 'invalidFilter');
  });

  it('a SCIM-created user who signs in through the ALB is matched by externalId, not duplicated', async () => {
    const before = (await stack.admin.get(`/api/user-sync/directories/${directoryId}/users`)).body.total;
    const me = await stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub: 'sub-bjensen', email: 'bjensen@example.com', name: 'Barbara', groups: ['dev'] } }));
    assertStatus(me, 200);
    assert.equal(me.body.username, 'bjensen@example.com');
    // Another userName than the connector maps: found by externalId alone, then renamed as the connector says.
    const carl = await scim('post', '/Users', { userName: 'carl', externalId: 'sub-carl', displayName: 'Carl', emails: [{ value: 'carl@example.com', primary: true }] });
    assertStatus(carl, 201);
    const carlMe = await stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub: 'sub-carl', email: 'carl@example.com', name: 'Carl' } }));
    assertStatus(carlMe, 200);
    assert.equal(carlMe.body.username, 'carl@example.com');
    assert.equal((await stack.admin.get(`/api/user-sync/directories/${directoryId}/users`)).body.total, before + 1, 'carl once, not twice');
    assert.equal((await scim('get', `/Users/${carl.body.id}`)).body.userName, 'carl@example.com');
  });

  it('groups: create, PATCH members add and remove (Entra ID and Okta bodies); a JIT login never removes a SCIM grant', async () => {
    const bjensen = (await scim('get', `/Users?filter=${encodeURIComponent('userName eq "bjensen@example.com"')}`)).body.Resources[0];
    const alice = (await scim('get', `/Users?filter=${encodeURIComponent('userName eq "alice@example.org"')}`)).body.Resources[0];
    const group = await scim('post', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'scim-team', members: [] });
    assertStatus(group, 201);
    scimError(await scim('post', '/Groups', { displayName: 'SCIM-Team' }), 409, 'uniqueness');
    // Entra ID: "Add" with a list of members.
    const added = await scim('patch', `/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: bjensen.id }, { value: alice.id }] }] });
    assertStatus(added, 200);
    assert.deepEqual(added.body.members.map((member: { display: string }) => member.display).sort(), ['alice@example.org', 'bjensen@example.com']);
    // Okta: remove by a value filter in the path.
    const removed = await scim('patch', `/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${alice.id}"]` }] });
    assertStatus(removed, 200);
    assert.deepEqual(removed.body.members.map((member: { display: string }) => member.display), ['bjensen@example.com']);
    const listed = await scim('get', `/Groups?filter=${encodeURIComponent('displayName eq "scim-team"')}&excludedAttributes=members`);
    assert.equal(listed.body.totalResults, 1);
    assert.equal(listed.body.Resources[0].members, undefined);

    // The JIT connector removes unlisted groups: only its own grants.
    const me = await stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub: 'sub-bjensen', email: 'bjensen@example.com', name: 'Barbara', groups: ['dev'] } }));
    assert.deepEqual(me.body.groups, ['dev', 'scim-team']);
    const memberships = (await stack.admin.get(`/api/user-sync/directories/${directoryId}/users/bjensen@example.com`)).body.memberships;
    assert.deepEqual(memberships.find((membership: { group: string }) => membership.group === 'scim-team'), { group: 'scim-team', origin: clientId });
  });

  it('PATCH active false (Entra ID "Replace" with "False"; Okta without a path) deactivates: the next ALB login is USER_INACTIVE', async () => {
    const bjensen = (await scim('get', `/Users?filter=${encodeURIComponent('userName eq "bjensen@example.com"')}`)).body.Resources[0];
    const entra = await scim('patch', `/Users/${bjensen.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    assertStatus(entra, 200);
    assert.equal(entra.body.active, false);
    assertError(await stack.http.get('/api/me').set('x-amzn-oidc-data', stack.signer.sign({ claims: { sub: 'sub-bjensen', email: 'bjensen@example.com', groups: ['dev'] } })), 403, 'USER_INACTIVE');
    const alice = (await scim('get', `/Users?filter=${encodeURIComponent('userName eq "alice@example.org"')}`)).body.Resources[0];
    const okta = await scim('patch', `/Users/${alice.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    assert.equal(okta.body.active, false);
    scimError(await scim('patch', `/Users/${alice.id}`, { schemas: [PATCH_OP], Operations: [] }), 400, 'invalidSyntax');
    // PUT replaces; DELETE deactivates (the client's default).
    const put = await scim('put', `/Users/${alice.id}`, { userName: 'alice@example.org', displayName: 'Alice A', active: true, emails: [{ value: 'alice@example.org', primary: true }] });
    assert.equal(put.body.displayName, 'Alice A');
    assert.equal(put.body.active, true);
    assert.equal((await scim('delete', `/Users/${alice.id}`)).status, 204);
    scimError(await scim('get', `/Users/${alice.id}`), 404);
    assert.equal((await stack.admin.get(`/api/user-sync/directories/${directoryId}/users/alice@example.org`)).body.active, false, 'deactivated, not deleted');
  });

  it('a user SCIM deletes leaves its groups; the same client sending it again brings it back, inactive if so sent', async () => {
    const dana = await scim('post', '/Users', { userName: 'dana@example.com', externalId: 'sub-dana', emails: [{ value: 'dana@example.com', primary: true }] });
    const erin = await scim('post', '/Users', { userName: 'erin@example.com', externalId: 'sub-erin' });
    const team = await scim('post', '/Groups', { displayName: 'dana-team', members: [{ value: dana.body.id }, { value: erin.body.id }] });
    assertStatus(team, 201);
    assert.equal((await scim('delete', `/Users/${dana.body.id}`)).status, 204);
    assert.deepEqual((await scim('get', `/Groups/${team.body.id}`)).body.members.map((member: { value: string }) => member.value), [erin.body.id]);
    const fred = await scim('post', '/Users', { userName: 'fred@example.com', externalId: 'sub-fred' });
    const grown = await scim('patch', `/Groups/${team.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: fred.body.id }] }] });
    assertStatus(grown, 200);
    assert.equal(grown.body.members.length, 2);
    scimError(await scim('post', '/Users', { userName: 'dana@example.com', externalId: 'sub-other' }), 409, 'uniqueness');
    const back = await scim('post', '/Users', { userName: 'dana@example.com', externalId: 'sub-dana', active: false });
    assertStatus(back, 201);
    assert.equal(back.body.id, dana.body.id);
    assert.equal(back.body.active, false);
    assert.equal((await scim('get', `/Users/${dana.body.id}`)).body.active, false, 'back, and visible though inactive');
  });
});
