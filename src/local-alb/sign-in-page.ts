import { groupsOf, SAMPLE_IDENTITIES } from './sample-identities';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

/** The emulator's sign-in page: plain server-rendered HTML, works without JavaScript. */
/** What the current settings make of an identity's groups (the mapping may still decide otherwise). */
export function accessNote(groups: string[], accessGroups: string[] | null): string {
  if (accessGroups === null) return '';
  if (accessGroups.length === 0) return 'any active user may sign in';
  const wanted = new Set(accessGroups.map((group) => group.toLowerCase()));
  const held = groups.find((group) => wanted.has(group.toLowerCase()));
  return held ? `in access group ${held}` : `in none of the access groups (${accessGroups.join(', ')}): refused`;
}

export function renderSignInPage(redirect: string, error?: string, accessGroups: string[] | null = null): string {
  const identities = SAMPLE_IDENTITIES.map(
    (identity, index) => `
      <label class="identity">
        <input type="radio" name="identity" value="${escape(identity.id)}"${index === 0 ? ' checked' : ''}>
        <strong>${escape(identity.label)}</strong> <span class="groups" data-identity="${escape(identity.id)}">groups: ${escape(groupsOf(identity).join(', ') || 'none')}${escape(accessNote(groupsOf(identity), accessGroups) ? `; ${accessNote(groupsOf(identity), accessGroups)}` : '')}</span>
        <code>${escape(JSON.stringify(identity.claims))}</code>
        <code>access token: ${escape(JSON.stringify(identity.accessClaims))}</code>
      </label>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Sign in · local ALB emulator</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
    h1 { font-size: 1.4rem; } .identity { display: block; margin: .6rem 0; padding: .6rem; border: 1px solid #ccc; border-radius: 6px; }
    code { display: block; font-size: .8rem; color: #555; margin-top: .3rem; word-break: break-all; }
    textarea { width: 100%; height: 7rem; font-family: monospace; } .error { color: #b00020; }
    button { font-size: 1rem; padding: .5rem 1.2rem; margin-top: 1rem; }
  </style>
</head>
<body>
  <h1>Sign in to alb-usersync (local ALB emulator)</h1>
  <p>This page stands in for Amazon Cognito or your OIDC provider. The emulator signs the claims as an
  AWS Application Load Balancer would and forwards every request with <code style="display:inline">x-amzn-oidc-data</code>
  (the user-info claims) and <code style="display:inline">x-amzn-oidc-accesstoken</code> (an access token: as with Cognito,
  the groups ride only in its <code style="display:inline">cognito:groups</code>).</p>
  ${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
  <form method="post" action="/.alb/sign-in">
    <input type="hidden" name="redirect" value="${escape(redirect)}">
    <fieldset><legend>Pick a sample identity</legend>${identities}</fieldset>
    <p><label for="claims">…or type the claims as JSON (used when not empty); <code style="display:inline">cognito:groups</code> goes into the access token:</label></p>
    <textarea id="claims" name="claims" placeholder='{"sub":"u-1","username":"someone","email":"someone@example.com","name":"Some One","cognito:groups":["users"]}'></textarea>
    <button type="submit" id="sign-in">Sign in</button>
  </form>
</body>
</html>`;
}

/** What the emulator answers at / for a signed-in browser: who it is, where to go, how to switch. */
export function renderHomePage(claims: Record<string, unknown>): string {
  const who = String(claims.name ?? claims.username ?? claims.email ?? claims.sub);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Signed in · local ALB emulator</title>
</head>
<body style="font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem">
  <h1>Signed in as ${escape(who)}</h1>
  <p>The local ALB emulator signs every request to the service with these claims:</p>
  <pre>${escape(JSON.stringify(claims, null, 2))}</pre>
  <ul>
    <li><a href="/api/me">/api/me</a>: the user the service provisioned</li>
    <li><a href="/admin/">/admin/</a>: the admin console (as Local Admin)</li>
    <li><a href="/api/docs">/api/docs</a>: the API documentation</li>
    <li><a href="/.alb/sign-in?redirect=%2F" id="switch">Sign in as someone else</a></li>
    <li><a href="/logout" id="sign-out">Sign out</a></li>
  </ul>
</body>
</html>`;
}
