import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_CHROMIUM, useLocalService } from '../support/local-service';

/**
 * The newcomer's first five minutes, in a real browser: the service in local mode (as `npm start`
 * runs it, from a fresh data folder), the emulator's sign-in page, /api/me, then logout.
 */
describe('local mode in a browser', { skip: NO_CHROMIUM }, () => {
  const local = useLocalService();

  it('signs in as the demo user, shows the provisioned user, refuses the contractor, and logs out', async () => {
    const context = await local.browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://localhost:${local.albPort}/`);
    assert.match(await page.title(), /Sign in/, local.output());
    await page.check('input[value="demo"]');
    await page.click('#sign-in');
    await page.waitForURL(/\/api\/me$/);
    const me = JSON.parse((await page.textContent('body')) ?? '{}');
    assert.equal(me.username, 'demo.user');
    assert.deepEqual(me.groups, ['users']);
    assert.equal(me.directory.name, 'Local demo');
    // The start banner's admin token opens the admin API (no ADMIN_API_TOKEN was set).
    const token = /admin API token\s+(\S+)/.exec(local.output())?.[1] ?? '';
    const directories = await fetch(`http://127.0.0.1:${local.port}/api/user-sync/directories`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(directories.status, 200, local.output());
    // Back at the tour's first link while signed in: who you are, and how to switch or sign out.
    await page.goto(`http://localhost:${local.albPort}/`);
    assert.match((await page.textContent('h1')) ?? '', /Signed in as Demo User/);
    assert.equal(await page.getAttribute('#switch', 'href'), '/.alb/sign-in?redirect=%2F');

    const logout = await page.goto(`http://localhost:${local.albPort}/logout`);
    assert.equal(logout?.status(), 200);
    await page.goto(`http://localhost:${local.albPort}/api/me`);
    assert.match(await page.title(), /Sign in/);

    await page.check('input[value="contractor"]');
    await page.click('#sign-in');
    await page.waitForURL(/\/api\/me$/);
    const refused = JSON.parse((await page.textContent('body')) ?? '{}');
    assert.equal(refused.code, 'NO_APPLICATION_ACCESS');
    await context.close();
  });

  it('takes claims typed as JSON; cognito:groups travels in the verified access token, as with Cognito', async () => {
    const page = await local.browser.newPage();
    await page.goto(`http://localhost:${local.albPort}/api/me`);
    await page.fill('#claims', JSON.stringify({ sub: 'typed-1', username: 'typed', email: 'typed@example.com', name: 'Typed', 'cognito:groups': ['users', 'extra'] }));
    await page.click('#sign-in');
    await page.waitForURL(/\/api\/me$/);
    const me = JSON.parse((await page.textContent('body')) ?? '{}');
    assert.equal(me.username, 'typed');
    assert.deepEqual(me.groups, ['extra', 'users']);
    await page.close();
  });

  it('lets the Local Admin into the admin API through the membership the demo data granted by hand', async () => {
    const page = await local.browser.newPage();
    await page.goto(`http://localhost:${local.albPort}/api/me`);
    await page.check('input[value="admin"]');
    await page.click('#sign-in');
    await page.waitForURL(/\/api\/me$/);
    const me = JSON.parse((await page.textContent('body')) ?? '{}');
    assert.deepEqual(me.groups, ['alb-usersync-admins', 'users']);
    const directories = await page.goto(`http://localhost:${local.albPort}/api/user-sync/directories`);
    assert.equal(directories?.status(), 200);
    const audit = JSON.parse((await (await page.goto(`http://localhost:${local.albPort}/api/user-sync/audit?type=groups.protected&limit=1`))!.text()) ?? '{}');
    assert.deepEqual(audit.items[0].details, { notGranted: ['alb-usersync-admins'] }, 'the claim was not what granted it');
    await page.close();
  });
});
