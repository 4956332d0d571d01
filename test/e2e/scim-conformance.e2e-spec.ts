import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enableJit } from '../support/admin-client';
import { assertStatus } from '../support/http';
import { assertScimError, eqFilter, GROUP_SCHEMA, listed, patchOp, ScimCall, scimClient, USER_SCHEMA } from '../support/scim-client';
import { useTestStack } from '../support/test-stack';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * The request sequences identity providers run against a SCIM endpoint, with their published
 * bodies: Microsoft Entra ID's provisioning validator ("Develop and plan provisioning for a SCIM
 * endpoint", its request/response examples) and Okta's SCIM 2.0 test plan (the Runscope spec
 * test). Each step asserts RFC 7644's status, the ListResponse or Error shape, and what is stored.
 */
describe('SCIM conformance: the sequences Entra ID and Okta run', () => {
  const stack = useTestStack();
  let directoryId = '';
  let scim: ScimCall;
  const storedUser = async (username: string) => (await stack.admin.get(`/api/user-sync/directories/${directoryId}/users/${encodeURIComponent(username)}`)).body;

  before(async () => {
    ({ directoryId } = await enableJit(stack.admin));
    ({ scim } = await scimClient(stack.http, stack.admin, directoryId, 'Conformance'));
  });

  describe('Microsoft Entra ID', () => {
    const userName = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1';
    let userId = '';
    let groupId = '';

    it('Create User (with the enterprise extension and roles) → 201 with the user', async () => {
      const created = await scim('post', '/Users', {
        schemas: [USER_SCHEMA, ENTERPRISE],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName,
        active: true,
        emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2b@testuser.com' }],
        meta: { resourceType: 'User' },
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        roles: [],
        [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations' },
      });
      assertStatus(created, 201);
      assert.equal(created.body.userName, userName);
      assert.equal(created.body.externalId, '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef');
      assert.deepEqual(created.body.emails, [{ value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2b@testuser.com', type: 'work', primary: true }]);
      assert.equal(created.body.active, true);
      assert.equal(created.body.meta.resourceType, 'User');
      userId = created.body.id;
    });

    it('Get User → 200; Get User by query → one; zero results → an empty ListResponse', async () => {
      assert.equal((await scim('get', `/Users/${userId}`)).body.userName, userName);
      const [found] = listed(await scim('get', `/Users?${eqFilter('userName', userName)}`), 1);
      assert.equal(found.id, userId);
      assert.deepEqual(listed(await scim('get', `/Users?${eqFilter('userName', 'non-existent user')}`), 0), []);
    });

    it('Update User [multi-valued properties]: Replace emails[type eq "work"].value and name.familyName', async () => {
      const updated = await scim('patch', `/Users/${userId}`, patchOp(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ));
      assertStatus(updated, 200);
      assert.deepEqual(updated.body.emails, [{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }]);
      assert.equal(updated.body.name.familyName, 'updatedFamilyName');
      assert.equal((await storedUser(userName)).email, 'updatedEmail@microsoft.com');
    });

    it('Update User [single-valued] and Add: userName, name.givenName, ignored attributes (title, the enterprise extension)', async () => {
      const renamed = '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com';
      const updated = await scim('patch', `/Users/${userId}`, patchOp(
        { op: 'Replace', path: 'userName', value: renamed },
        { op: 'Add', path: 'name.givenName', value: 'Bar' },
        { op: 'Add', path: 'title', value: 'Engineer' },
        { op: 'Add', path: `${ENTERPRISE}:employeeNumber`, value: '1234' },
        { op: 'Replace', value: { displayName: 'Bar updatedFamilyName', preferredLanguage: 'en' } },
      ));
      assertStatus(updated, 200);
      assert.equal(updated.body.userName, renamed);
      assert.equal(updated.body.name.givenName, 'Bar');
      assert.equal(updated.body.displayName, 'Bar updatedFamilyName');
      assert.equal(updated.body.title, undefined);
      assert.equal((await storedUser(renamed)).displayName, 'Bar updatedFamilyName');
    });

    it('Disable User with "False" (a string) → active false; then Delete User → 204 and 404 after', async () => {
      const disabled = await scim('patch', `/Users/${userId}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
      assertStatus(disabled, 200);
      assert.equal(disabled.body.active, false);
      assert.equal((await scim('get', `/Users/${userId}`)).body.active, false, 'a disabled user is still there');
      assert.equal((await scim('delete', `/Users/${userId}`)).status, 204);
      assertScimError(await scim('get', `/Users/${userId}`), 404);
      assertScimError(await scim('patch', `/Users/${userId}`, patchOp({ op: 'Replace', path: 'active', value: 'True' })), 404);
      assertScimError(await scim('delete', `/Users/${userId}`), 404);
      listed(await scim('get', `/Users?${eqFilter('userName', '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com')}`), 0);
    });

    it('Create Group (with externalId and meta) → 201; Get Group with excludedAttributes=members; by displayName', async () => {
      const created = await scim('post', '/Groups', { schemas: [GROUP_SCHEMA], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName', meta: { resourceType: 'Group' } });
      assertStatus(created, 201);
      assert.equal(created.body.displayName, 'displayName');
      assert.deepEqual(created.body.members, []);
      groupId = created.body.id;
      const got = await scim('get', `/Groups/${groupId}?excludedAttributes=members`);
      assertStatus(got, 200);
      assert.equal(got.body.displayName, 'displayName');
      assert.equal('members' in got.body, false);
      const [found] = listed(await scim('get', `/Groups?excludedAttributes=members&${eqFilter('displayName', 'displayName')}`), 1);
      assert.equal(found.id, groupId);
      assert.equal('members' in found, false);
    });

    it('Update Group [non-member attributes]: a path-less Replace repeating the id', async () => {
      const updated = await scim('patch', `/Groups/${groupId}`, patchOp({ op: 'Replace', value: { id: groupId, displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' } }));
      assertStatus(updated, 200);
      assert.equal(updated.body.displayName, '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
    });

    it('Update Group [add members] and [remove members], with "$ref": null: the member is gone', async () => {
      const member = await scim('post', '/Users', { schemas: [USER_SCHEMA], userName: 'entra.member@example.com', externalId: 'entra-member', active: true });
      assertStatus(member, 201);
      const added = await scim('patch', `/Groups/${groupId}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: member.body.id }] }));
      assertStatus(added, 200);
      assert.deepEqual(added.body.members.map((entry: { value: string }) => entry.value), [member.body.id]);
      assert.deepEqual((await storedUser('entra.member@example.com')).groups, ['1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName']);
      const removed = await scim('patch', `/Groups/${groupId}`, patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: member.body.id }] }));
      assertStatus(removed, 200);
      assert.deepEqual(removed.body.members, []);
      assert.deepEqual((await storedUser('entra.member@example.com')).groups, [], 'removed in Entra ID, removed here');
    });

    it('Delete Group → 204, then 404', async () => {
      assert.equal((await scim('delete', `/Groups/${groupId}`)).status, 204);
      assertScimError(await scim('get', `/Groups/${groupId}`), 404);
    });
  });

  describe('Okta (SCIM 2.0 test plan)', () => {
    const userName = 'okta.tester@example.com';
    let userId = '';
    let groupId = '';
    const oktaUser = (givenName: string) => ({
      schemas: [USER_SCHEMA],
      userName,
      name: { givenName, familyName: 'Tester' },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: `${givenName} Tester`,
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    });

    it('GET /Users?count=1&startIndex=1 → a ListResponse of at most one', async () => {
      const page = await scim('get', '/Users?count=1&startIndex=1');
      const resources = listed(page, page.body.totalResults);
      assert.ok(resources.length <= 1);
      assert.equal(page.body.startIndex, 1);
    });

    it('a filter for a random userName with startIndex and count → zero results', async () => {
      listed(await scim('get', `/Users?${eqFilter('userName', 'random-8d2b3a@example.com')}&startIndex=1&count=100`), 0);
    });

    it('POST /Users (with locale, groups and password) → 201; GET it; filter finds it; a second POST → 409 uniqueness; an unknown id → 404', async () => {
      const created = await scim('post', '/Users', oktaUser('Okta'));
      assertStatus(created, 201);
      userId = created.body.id;
      assert.equal(created.body.password, undefined, 'never returned');
      assert.equal((await scim('get', `/Users/${userId}`)).body.name.givenName, 'Okta');
      const [found] = listed(await scim('get', `/Users?${eqFilter('userName', userName)}&startIndex=1&count=100`), 1);
      assert.equal(found.id, userId);
      assertScimError(await scim('post', '/Users', oktaUser('Okta')), 409, 'uniqueness');
      assertScimError(await scim('get', '/Users/010101010101-0101-0101-0101-01010101'), 404);
    });

    it('PUT /Users/:id replaces; a path-less replace {"active": false} deactivates', async () => {
      const put = await scim('put', `/Users/${userId}`, { ...oktaUser('Changed'), id: userId });
      assertStatus(put, 200);
      assert.equal(put.body.name.givenName, 'Changed');
      assert.equal((await storedUser(userName)).displayName, 'Changed Tester');
      const deactivated = await scim('patch', `/Users/${userId}`, patchOp({ op: 'replace', value: { active: false } }));
      assertStatus(deactivated, 200);
      assert.equal(deactivated.body.active, false);
      assert.equal((await storedUser(userName)).active, false);
    });

    it('Push Groups: create, find by displayName with paging, rename, add a member, remove it by filter, PUT members, delete', async () => {
      const created = await scim('post', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Test SCIMv2', members: [] });
      assertStatus(created, 201);
      groupId = created.body.id;
      listed(await scim('get', `/Groups?${eqFilter('displayName', 'Test SCIMv2')}&startIndex=1&count=100`), 1);
      const renamed = await scim('patch', `/Groups/${groupId}`, patchOp({ op: 'replace', value: { id: groupId, displayName: 'Test SCIMv2 renamed' } }));
      assert.equal(renamed.body.displayName, 'Test SCIMv2 renamed');
      const added = await scim('patch', `/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: userId, display: userName }] }));
      assert.deepEqual(added.body.members, [{ value: userId, display: userName }]);
      const removed = await scim('patch', `/Groups/${groupId}`, patchOp({ op: 'remove', path: `members[value eq "${userId}"]` }));
      assert.deepEqual(removed.body.members, []);
      const put = await scim('put', `/Groups/${groupId}`, { schemas: [GROUP_SCHEMA], id: groupId, displayName: 'Test SCIMv2', members: [{ value: userId, display: userName }] });
      assertStatus(put, 200);
      assert.equal(put.body.displayName, 'Test SCIMv2');
      assert.deepEqual((await storedUser(userName)).groups, ['Test SCIMv2']);
      assert.equal((await scim('delete', `/Groups/${groupId}`)).status, 204);
      assert.deepEqual((await storedUser(userName)).groups, []);
      listed(await scim('get', `/Groups?${eqFilter('displayName', 'Test SCIMv2')}`), 0);
    });
  });
});
