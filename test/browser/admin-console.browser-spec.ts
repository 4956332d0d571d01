import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BrowserContext, Page } from 'playwright-core';
import { NO_CHROMIUM, useLocalService } from '../support/local-service';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Every control of the page inside the viewport's width and on top where it is drawn: the ones that are not. */
const UNREACHABLE = `(() => {
    const problems = [];
    if (document.documentElement.scrollWidth > window.innerWidth) problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth);
    for (const element of document.querySelectorAll('main button, main input, main select, main textarea, main a')) {
      if (element.type === 'hidden' || element.getClientRects().length === 0) continue;
      element.scrollIntoView({ block: 'center', inline: 'nearest' });
      const box = element.getBoundingClientRect();
      const name = element.getAttribute('aria-label') || element.id || element.textContent.trim().slice(0, 30) || element.tagName;
      if (box.left < 0 || box.right > window.innerWidth + 0.5) { problems.push(name + ' outside the width'); continue; }
      // A link wrapped over two lines is drawn as two boxes: its first one is where a click lands.
      const first = element.getClientRects()[0];
      const hit = document.elementFromPoint(first.left + first.width / 2, first.top + first.height / 2);
      if (!hit || !(hit === element || element.contains(hit))) problems.push(name + ' covered by ' + (hit ? hit.tagName + '.' + hit.className : 'nothing'));
    }
    return problems;
  })()`;

/** Set to write the README's screenshots (docs/screenshots). */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;

/**
 * The admin console at /admin, driven by clicks in Chromium through the local ALB emulator, with
 * the network limited to the service's origin: the README set-up's steps, then the live preview.
 */
describe('admin console in a browser', { skip: NO_CHROMIUM }, () => {
  const local = useLocalService();
  const origin = () => `http://localhost:${local.albPort}`;

  /** A browser context signed in on the emulator, every request to another origin refused and recorded. */
  async function signedIn(identity: { sample: string } | { claims: object }, path: string): Promise<{ context: BrowserContext; page: Page; foreign: string[]; saves: string[] }> {
    const context = await local.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const foreign: string[] = [];
    const saves: string[] = [];
    await context.route(
      (url) => url.origin !== origin(),
      (route) => {
        foreign.push(route.request().url());
        return route.abort();
      },
    );
    const page = await context.newPage();
    page.on('request', (request) => {
      if (['POST', 'PATCH', 'PUT'].includes(request.method()) && /\/api\/user-sync\/connectors(\/[0-9a-f-]{36})?$/.test(new URL(request.url()).pathname)) saves.push(request.url());
    });
    await page.goto(`${origin()}${path}`);
    if ('sample' in identity) await page.check(`input[value="${identity.sample}"]`);
    else await page.fill('#claims', JSON.stringify(identity.claims));
    await page.click('#sign-in');
    await page.waitForURL((url) => url.pathname === path.split('#')[0]);
    return { context, page, foreign, saves };
  }

  it('serves /admin with a Content-Security-Policy that allows no inline script and no other origin', async () => {
    const response = await fetch(`http://127.0.0.1:${local.port}/admin/`);
    assert.equal(response.status, 200, local.output());
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.doesNotMatch(await response.text(), /<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
  });

  it('serves /api/docs with a Content-Security-Policy, no framing and nosniff; Swagger UI renders under them', async () => {
    const context = await local.browser.newContext();
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    // The service itself (the emulator would ask for a sign-in first: the ALB's own rules are not the service's).
    const response = await page.goto(`http://127.0.0.1:${local.port}/api/docs`);
    assert.equal(response?.status(), 200);
    const headers = response?.headers() ?? {};
    assert.match(headers['content-security-policy'] ?? '', /script-src 'self'(;|$)/);
    assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['x-content-type-options'], 'nosniff');
    await page.waitForSelector('.swagger-ui .info .title');
    assert.match(await page.textContent('.swagger-ui .info .title') ?? '', /alb-usersync/);
    await page.waitForSelector('.opblock-tag');
    assert.deepEqual(refused, [], 'nothing refused by the policy');
    await context.close();
  });

  it('replays the README set-up by clicking: connector with a new directory, mappings, settings; the login shows in the directory and the audit log', async () => {
    const { context, page, foreign } = await signedIn({ sample: 'admin' }, '/admin/');
    // The console opens on its dashboard.
    await page.locator('#dashboard').waitFor();
    // Step 1: a Just-in-time connector with a new empty directory.
    await page.click('header a[href="#/connectors"]');
    await page.click('#create-connector');
    await page.fill('#connector-name', 'Cognito JIT');
    assert.ok(await page.isChecked('#new-directory'), 'a new directory is the default');
    await page.fill('#primary-key', 'sub');
    await page.click('#wizard-next');
    // Provisioning settings: upn → username with strip-domain, full name, email, always confluence-users.
    await page.fill('[aria-label="Username: claims"]', 'upn, username');
    await page.selectOption('[aria-label="Username: add a transformation"]', 'stripDomain');
    await page.selectOption('[aria-label="Full name: source kind"]', 'template');
    await page.fill('[aria-label="Full name: template"]', '{given_name} {family_name}');
    await page.fill('[aria-label="Full name: else claims"]', 'name');
    await page.fill('[aria-label="Email: claims"]', 'email');
    await page.click('text=Map groups');
    await page.fill('[aria-label="Groups: claims"]', 'access:cognito:groups');
    // The Local Admin's admin group comes from its claims under this connector: allowed explicitly.
    await page.check('text=Allow protected groups');
    await page.fill('#always-assign', 'confluence-users');
    await page.waitForSelector('#preview-username:text-is("a.example")');
    if (SCREENSHOT_DIR) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.setViewportSize({ width: 1600, height: 900 });
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'connector-editor.png'), fullPage: true });
      await page.setViewportSize({ width: 1400, height: 900 });
    }
    // A template alone would lock out the emulator's identities, which send only `name`: the save says so.
    await page.fill('[aria-label="Full name: else claims"]', '');
    await page.click('#save-connector');
    await page.locator('#save-warnings li', { hasText: 'Demo User: no full name (displayName)' }).waitFor();
    await page.fill('[aria-label="Full name: else claims"]', 'name');
    await page.click('#save-connector');
    await page.waitForURL(/#\/connectors\/[0-9a-f-]{36}\?saved$/);
    // Steps 5–7: enable user update with UserSync, choose the connector, save.
    await page.click('text=ALB authentication');
    await page.check('#user-sync-enabled');
    await page.selectOption('#user-sync-connector', { label: 'Cognito JIT' });
    await page.fill('#access-groups', 'confluence-users');
    await page.click('#save-settings');
    await page.locator('p.notice', { hasText: 'Saved' }).waitFor();

    // a.example signs in through the emulator.
    const user = await signedIn({ claims: { sub: 'a-example-1', upn: 'a.example@domain.com', email: 'a.example@domain.com', name: 'A Example' } }, '/api/me');
    const me = JSON.parse((await user.page.textContent('body')) ?? '{}');
    assert.equal(me.username, 'a.example', JSON.stringify(me));
    assert.deepEqual(me.groups, ['confluence-users']);
    await user.context.close();

    await page.click('text=Directories');
    await page.click('a:text-is("Cognito JIT")');
    const row = page.locator('#users tr[data-username="a.example"]');
    await row.waitFor();
    assert.match((await row.locator('.user-groups').textContent()) ?? '', /confluence-users/);
    if (SCREENSHOT_DIR) await page.screenshot({ path: join(SCREENSHOT_DIR, 'directory.png'), fullPage: true });
    await page.click('text=Audit log');
    await page.locator('#audit tr[data-type="user.created"]', { hasText: 'a.example' }).waitFor();
    assert.deepEqual(foreign, [], 'the console asked nothing of another origin');
    await context.close();
  });

  it('manages cleanup rules (preview) and SCIM clients (token shown once) by clicking', async () => {
    const { context, page, foreign } = await signedIn({ sample: 'admin' }, '/admin/');
    await page.click('text=Directories');
    await page.click('a:text-is("Local demo")');
    await page.click('text=Inactive-user cleanup');
    await page.fill('label:has-text("Name") input', 'Leavers');
    await page.fill('label:has-text("Inactive days") input', '30');
    await page.click('text=Create rule');
    await page.locator('#cleanup-rules tr', { hasText: 'Leavers' }).waitFor();
    await page.click('#cleanup-rules button:text-is("Preview")');
    await page.locator('#cleanup-result', { hasText: 'Leavers: would deactivate' }).waitFor();
    await page.click('text=SCIM');
    await page.fill('label:has-text("Name") input', 'Entra ID');
    await page.selectOption('label:has-text("Directory it provisions into") select', { label: 'Local demo' });
    await page.click('text=Create client');
    const token = (await page.locator('#scim-token').textContent()) ?? '';
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const scim = await fetch(`http://127.0.0.1:${local.port}/scim/v2/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(scim.status, 200, 'the token shown is the client\'s');
    assert.deepEqual(foreign, []);
    await context.close();
  });

  it('opens the page a link names, also when followed while the console starts; a malformed link says Not found', async () => {
    const { context, page, foreign } = await signedIn({ sample: 'admin' }, '/admin/');
    // The console's first hash listener is attached late, once the hash has changed and its event has
    // passed: what a slow start does to a link followed between the first render and the listener.
    await page.addInitScript(`{
      const add = window.addEventListener.bind(window);
      let delayed = false;
      window.addEventListener = (type, listener, options) => {
        if (type !== 'hashchange' || delayed) return add(type, listener, options);
        delayed = true;
        window.__hashListenerDelayed = true;
        add('hashchange', () => add(type, listener, options), { once: true });
        window.location.hash = '#/connectors/new';
      };
    }`);
    await page.reload();
    await page.locator('#connector-name').waitFor();
    assert.equal(await page.evaluate('window.__hashListenerDelayed'), true, 'the console\'s hash listener was the one delayed');
    await page.evaluate(`window.location.hash = '#/connectors/%E0'`);
    await page.locator('main .error', { hasText: 'Not found' }).waitFor();
    assert.deepEqual(foreign, []);
    await context.close();
  });

  it('previews the unsaved mapping as it is edited; a back-reference shows its error without a save', async () => {
    const { context, page, foreign, saves } = await signedIn({ sample: 'admin' }, '/admin/');
    await page.goto(`${origin()}/admin/#/connectors/new`);
    await page.fill('#connector-name', 'Preview only');
    await page.click('#wizard-next');
    await page.fill('[aria-label="Username: claims"]', 'email');
    await page.fill('[aria-label="Full name: claims"]', 'name');
    await page.fill('[aria-label="Email: claims"]', 'email');
    await page.waitForSelector('#preview-username:text-is("a.example@domain.com")');
    await page.selectOption('[aria-label="Username: add a transformation"]', 'stripDomain');
    await page.waitForSelector('#preview-username:text-is("a.example")');
    await page.selectOption('[aria-label="Username: add a transformation"]', 'regexReplace');
    await page.fill('[aria-label="Username: regexReplace pattern"]', '(a)\\1');
    const problem = page.locator('.step [role="alert"]', { hasText: 'not a valid regular expression' });
    await problem.waitFor();
    assert.deepEqual(saves, [], 'nothing was saved');
    assert.deepEqual(foreign, []);
    await context.close();
  });

  it('edits a new connector without friction: no error before a field is touched, a hint for a claim only the access token has, Saved on the first save, a prompt before unsaved edits are dropped, no control hidden or covered at 1600, 1440, 1280 and 1024 px', async () => {
    const { context, page, foreign } = await signedIn({ sample: 'admin' }, '/admin/');
    await page.goto(`${origin()}/admin/#/connectors/new`);
    await page.fill('#connector-name', 'Friction free');
    await page.click('#wizard-next');
    await page.locator('#preview-waiting').waitFor();
    assert.equal(await page.locator('.mappings .error').count(), 0, 'no error before a field is touched');
    assert.equal(await page.locator('aside.preview [role="alert"]').count(), 0, 'no raw validation error in the preview');
    // Cognito puts groups in the access token: a source naming the ALB token's claim gets the hint.
    await page.fill('#preview-access-claims', JSON.stringify({ 'cognito:groups': ['users'] }));
    await page.click('text=Map groups');
    await page.fill('[aria-label="Groups: claims"]', 'cognito:groups');
    await page.locator('small.hint[data-claim="cognito:groups"]', { hasText: 'write access:cognito:groups' }).waitFor();
    await page.fill('[aria-label="Groups: claims"]', 'access:cognito:groups');
    await page.locator('small.hint').first().waitFor({ state: 'detached' });
    await page.fill('[aria-label="Username: claims"]', 'email');
    await page.fill('[aria-label="Full name: claims"]', 'name');
    await page.fill('[aria-label="Email: claims"]', 'email');
    await page.waitForSelector('#preview-username:text-is("a.example@domain.com")');
    for (const width of [1600, 1440, 1280, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      assert.deepEqual(await page.evaluate(UNREACHABLE), [], `at ${width} px`);
    }
    await page.click('#save-connector');
    await page.waitForURL(/#\/connectors\/[0-9a-f-]{36}\?saved$/);
    await page.locator('p.notice', { hasText: 'Saved' }).waitFor();
    // An unsaved edit: leaving asks first, and staying keeps it.
    await page.fill('input[value="Friction free"]', 'Friction free, renamed');
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.click('header a[href="#/directories"]');
    await page.waitForTimeout(300);
    assert.match(asked[0] ?? '', /unsaved changes will be lost/);
    assert.match(page.url(), /#\/connectors\/[0-9a-f-]{36}/, 'still on the connector');
    assert.equal(await page.inputValue('input[value="Friction free, renamed"]'), 'Friction free, renamed');
    await page.click('#save-connector');
    await page.locator('p.notice', { hasText: 'Saved' }).waitFor();
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.click('header a[href="#/directories"]');
    await page.waitForURL(/#\/directories$/);
    assert.equal(asked.length, 1, 'a saved connector leaves without a question');
    assert.deepEqual(foreign, []);
    await context.close();
  });

  it('warns before a settings switch that would lock the admin out; carrying the admins over keeps the console open', async () => {
    const token = /admin API token\s+(\S+)/.exec(local.output())?.[1] ?? '';
    // A connector into a new directory that grants no admin group from claims (the default).
    const created = await fetch(`http://127.0.0.1:${local.port}/api/user-sync/connectors`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Lockout check',
        type: 'jit',
        createDirectory: true,
        primaryKey: 'sub',
        mappings: [
          { attribute: 'username', sources: ['username'] },
          { attribute: 'displayName', sources: ['name'] },
          { attribute: 'email', sources: ['email'] },
          { attribute: 'groups', sources: ['access:cognito:groups'] },
        ],
      }),
    });
    assert.equal(created.status, 201, await created.text());
    const { context, page, foreign } = await signedIn({ sample: 'admin' }, '/admin/');
    await page.click('text=ALB authentication');
    await page.check('#user-sync-enabled');
    await page.selectOption('#user-sync-connector', { label: 'Lockout check' });
    await page.fill('#access-groups', 'users');
    await page.click('#save-settings');
    await page.locator('#settings-warnings li', { hasText: 'you would lose the admin API and this console' }).waitFor();
    assert.equal(await page.locator('p.notice').count(), 0, 'nothing saved yet');
    await page.click('#carry-over-admins');
    await page.locator('p.notice', { hasText: 'Saved; the admins were carried over' }).waitFor();
    // The next page the admin opens signs in through the new connector: still an admin.
    await page.goto(`${origin()}/admin/#/directories`);
    await page.locator('a:text-is("Lockout check")').waitFor();
    assert.equal(await page.locator('text=needs membership of an admin group').count(), 0);
    const me = await signedIn({ sample: 'admin' }, '/api/me');
    const body = JSON.parse((await me.page.textContent('body')) ?? '{}');
    assert.equal(body.directory.name, 'Lockout check');
    assert.ok(body.groups.includes('alb-usersync-admins'), JSON.stringify(body));
    await me.context.close();
    assert.deepEqual(foreign, []);
    await context.close();
  });

  it('opens on a dashboard whose charts and totals agree with the audit log after logins and refusals; a user\'s audit link is filtered', async () => {
    const { context, page, foreign } = await signedIn({ sample: 'admin' }, '/admin/');
    const json = <T,>(path: string) => page.evaluate(async (url) => (await fetch(url)).json(), path) as Promise<T>;
    const get = (path: string) => json<{ total: number }>(path);
    // A handful of logins and refusals through the emulator, as the settings now stand (user sync on,
    // access group confluence-users or users by the earlier tests): two new users and one refused.
    const people = [
      { sub: 'dash-1', username: 'dash.one', upn: 'dash.one@domain.com', email: 'dash.one@domain.com', name: 'Dash One', 'cognito:groups': ['users'], groups: ['users'] },
      { sub: 'dash-2', username: 'dash.two', upn: 'dash.two@domain.com', email: 'dash.two@domain.com', name: 'Dash Two', 'cognito:groups': ['users'], groups: ['users'] },
      { sub: 'dash-3', username: 'dash.out', upn: 'dash.out@domain.com', email: 'dash.out@domain.com', name: 'Dash Out', 'cognito:groups': [], groups: [] },
    ];
    const statuses: string[] = [];
    for (const claims of people) {
      const login = await signedIn({ claims }, '/api/me');
      statuses.push(JSON.parse((await login.page.textContent('body')) ?? '{}').code ?? 'signed in');
      await login.context.close();
    }
    assert.deepEqual(statuses, ['signed in', 'signed in', 'NO_APPLICATION_ACCESS']);
    // The page opened before these logins: loaded again (it refreshes itself every 30 s).
    await page.goto(`${origin()}/admin/#/dashboard`);
    await page.reload();
    await page.locator('#dashboard svg').first().waitFor();
    assert.equal(await page.locator('#dashboard svg[role="img"]').count(), 3, `three charts: ${(await page.innerHTML('#dashboard')).slice(0, 600)}`);
    const shown = async (id: string) => Number(await page.textContent(`#total-${id}`));
    // The page's 24-hour totals against the audit's own count over the same hours.
    const firstHour = (await json<{ hours: Array<{ bucket: string }> }>('/api/user-sync/dashboard')).hours[0].bucket;
    const since = encodeURIComponent(`${firstHour.replace(' ', 'T')}:00:00Z`);
    const firstLogins = (await get(`/api/user-sync/audit?type=user.created&actor=login&since=${since}&limit=1`)).total;
    const refusals = (await get(`/api/user-sync/audit?type=login.refused&since=${since}&limit=1`)).total;
    assert.ok(firstLogins >= 2 && refusals >= 1, `the logins happened: ${firstLogins} first logins, ${refusals} refusals`);
    assert.equal(await shown('first-logins'), firstLogins);
    assert.equal(await shown('refusals'), refusals);
    assert.ok((await shown('signed-in')) >= 2);
    const firstDay = (await json<{ days: Array<{ bucket: string }> }>('/api/user-sync/dashboard')).days[0].bucket;
    const byCode = (await page.locator('#refusals-by-code td.count').allTextContents()).map(Number);
    assert.equal(byCode.reduce((sum, count) => sum + count, 0), (await get(`/api/user-sync/audit?type=login.refused&since=${firstDay}T00:00:00Z&limit=1`)).total, 'refusals by reason: every refusal of the 14 days');
    if (SCREENSHOT_DIR) await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard.png'), fullPage: true });
    // Its link opens the audit log filtered the same way, and lists as many events.
    await page.click('figure:has(#total-refusals) a');
    await page.locator('#audit tr[data-type="login.refused"]').first().waitFor();
    assert.equal(await page.inputValue('[aria-label="Type"]'), 'login.refused');
    await page.locator('p', { hasText: `${refusals} events` }).waitFor();
    // A user's "Audit log" opens that user's events only.
    const directories = (await json<{ items: Array<{ id: string }> }>('/api/user-sync/directories?limit=100')).items;
    let userPath = '';
    let username = '';
    for (const directory of directories) {
      const found = (await json<{ items: Array<{ username: string }> }>(`/api/user-sync/directories/${directory.id}/users?search=dash`)).items;
      if (found.length) [userPath, username] = [`#/directories/${directory.id}/users/${encodeURIComponent(found[0].username)}`, found[0].username];
    }
    assert.ok(userPath, 'a dash user was provisioned');
    await page.goto(`${origin()}/admin/${userPath}`);
    await page.click('#user-audit');
    await page.locator('#audit tr[data-type]').first().waitFor();
    assert.equal(await page.inputValue('[aria-label="Username"]'), username);
    const usernames = await page.locator('#audit tbody tr td:nth-child(4)').allTextContents();
    assert.ok(usernames.length > 0 && usernames.every((name) => name === username), usernames.join(', '));
    assert.deepEqual(foreign, []);
    await context.close();
  });

  it('every console page passes axe-core\'s WCAG 2 A and AA rules, and hides or covers no control at 1280 and 1024 px', async () => {
    const { context, page, foreign } = await signedIn({ sample: 'admin' }, '/admin/');
    const get = (path: string) => page.evaluate(async (url) => (await fetch(url)).json(), path) as Promise<{ items: Array<Record<string, string>> }>;
    const connector = (await get('/api/user-sync/connectors?limit=1')).items[0];
    const directory = connector.directoryId as string;
    const user = (await get(`/api/user-sync/directories/${directory}/users?limit=1`)).items[0];
    assert.ok(connector && user, 'the earlier tests left a connector and a user');
    // Each page, and what shows that it has loaded.
    const pages: Array<[hash: string, ready: string, then?: [click: string, ready: string]]> = [
      ['#/dashboard', '#dashboard svg'],
      ['#/connectors', '#create-connector'],
      ['#/connectors/new', '#connector-name'],
      [`#/connectors/${connector.id}`, '#save-connector'],
      ['#/settings', '#save-settings'],
      ['#/directories', 'main table a'],
      [`#/directories/${directory}`, '#users tr[data-username]'],
      [`#/directories/${directory}`, '#users tr[data-username]', ['text=Inactive-user cleanup', '#cleanup-rules']],
      [`#/directories/${directory}/users/${encodeURIComponent(user.username)}`, '#memberships'],
      ['#/scim', 'main fieldset select option'],
      ['#/audit', '#audit tr[data-type]'],
    ];
    const violations: string[] = [];
    for (const [hash, ready, then] of pages) {
      await page.goto(`${origin()}/admin/${hash}`);
      await page.locator(ready).first().waitFor({ state: 'attached' });
      if (then) {
        await page.click(then[0]);
        await page.locator(then[1]).first().waitFor();
      }
      // The console's CSP admits no inline script: axe runs through the debugging protocol instead.
      if (!(await page.evaluate("typeof axe === 'object'"))) await page.evaluate(AXE_SOURCE);
      const result = (await page.evaluate("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })")) as { violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> };
      for (const violation of result.violations) violations.push(`${hash}${then ? ' (cleanup tab)' : ''}: ${violation.id} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      for (const width of [1280, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        for (const problem of (await page.evaluate(UNREACHABLE)) as string[]) violations.push(`${hash}${then ? ' (cleanup tab)' : ''} at ${width} px: ${problem}`);
      }
      await page.setViewportSize({ width: 1400, height: 900 });
    }
    assert.deepEqual(violations, []);
    assert.deepEqual(foreign, []);
    await context.close();
  });
});
