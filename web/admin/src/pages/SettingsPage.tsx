import { useEffect, useState } from 'react';
import { api, ApiError, Connector, list, Page, Preset, Settings } from '../api';
import { ErrorText, Field, NotSaved } from '../components';

/** The set-up's second step: enable user update with UserSync, choose the connector, save; and the rest of the ALB settings. */
export function SettingsPage() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [connectors, setConnectors] = useState<Connector[]>([]);
  const [presets, setPresets] = useState<Preset[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[] | null>(null);

  useEffect(() => {
    api<Settings>('GET', '/api/alb-auth/settings').then(setSettings, setError);
    api<Page<Connector>>('GET', '/api/user-sync/connectors?limit=100').then((page) => setConnectors(page.items), setError);
    api<Page<Preset>>('GET', '/api/user-sync/presets').then((page) => setPresets(page.items), () => undefined);
  }, []);

  if (!settings) return <ErrorText error={error} />;
  const update = (change: Partial<Settings>) => setSettings({ ...settings, ...change });
  const problems = error instanceof ApiError ? error.fieldProblems() : new Map<string, string>();

  /** A save that would take your admin rights away answers 422 with why: shown here, before anything is saved. */
  const save = async (decision: { carryOverAdmins?: boolean; confirmLockout?: boolean } = {}) => {
    setError(null);
    setNotice(null);
    setWarnings(null);
    try {
      setSettings(await api<Settings>('PUT', '/api/alb-auth/settings', { ...settings, ...decision }));
      setNotice(decision.carryOverAdmins ? 'Saved; the admins were carried over' : 'Saved');
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'CONFIRMATION_REQUIRED') setWarnings(caught.warnings.length ? caught.warnings : [caught.message]);
      else setError(caught);
    }
  };

  return (
    <section className="narrow">
      <h1>ALB authentication settings</h1>
      <fieldset>
        <legend>User sync</legend>
        <label className="check">
          <input
            type="checkbox"
            id="user-sync-enabled"
            checked={settings.userSync.enabled}
            onChange={(event) => update({ userSync: { ...settings.userSync, enabled: event.target.checked } })}
          />{' '}
          Enable user update with UserSync
        </label>
        <Field label="Connector" problem={problems.get('userSync.connectorId')}>
          <select
            id="user-sync-connector"
            value={settings.userSync.connectorId ?? ''}
            onChange={(event) => update({ userSync: { ...settings.userSync, connectorId: event.target.value || null } })}
          >
            <option value="">—</option>
            {connectors.map((connector) => (
              <option key={connector.id} value={connector.id}>
                {connector.name}
                {connector.enabled ? '' : ' (disabled)'}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Username claim (when user sync is off)" problem={problems.get('usernameClaim')}>
          <input value={settings.usernameClaim} onChange={(event) => update({ usernameClaim: event.target.value })} />
        </Field>
      </fieldset>
      <fieldset>
        <legend>Application access</legend>
        <Field label="Access groups (comma-separated; empty: every active user)" problem={problems.get('accessGroups')}>
          <input id="access-groups" defaultValue={settings.accessGroups.join(', ')} onChange={(event) => update({ accessGroups: list(event.target.value) })} />
        </Field>
        <Field label="Protected groups (never granted from claims)" problem={problems.get('protectedGroups')}>
          <input defaultValue={settings.protectedGroups.join(', ')} onChange={(event) => update({ protectedGroups: list(event.target.value) })} />
        </Field>
      </fieldset>
      <fieldset>
        <legend>Logout</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.logout.deleteSessionCookie}
            onChange={(event) => update({ logout: { ...settings.logout, deleteSessionCookie: event.target.checked } })}
          />{' '}
          Delete the ALB session cookies
        </label>
        <Field label="Redirect URL (e.g. the IdP's logout endpoint)" problem={problems.get('logout.redirectUrl')}>
          <input
            value={settings.logout.redirectUrl ?? ''}
            onChange={(event) => update({ logout: { ...settings.logout, redirectUrl: event.target.value || null } })}
          />
        </Field>
        <select
          aria-label="Fill the redirect URL from a preset"
          value=""
          onChange={(event) => {
            const template = presets.find((preset) => preset.id === event.target.value)?.logoutUrl;
            if (template) update({ logout: { ...settings.logout, redirectUrl: template } });
          }}
        >
          <option value="">Fill from an IdP preset (then replace each {'{placeholder}'})…</option>
          {presets
            .filter((preset) => preset.logoutUrl)
            .map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.name}
              </option>
            ))}
        </select>
      </fieldset>
      {warnings && (
        <NotSaved id="settings-warnings" warnings={warnings}>
          <p>
            Carrying the admins over gives every admin, you among them, the same identity in the directory the new settings sign in to,
            holding the admin groups by hand.
          </p>
          <button className="primary" id="carry-over-admins" onClick={() => save({ carryOverAdmins: true })}>
            Carry the admins over and save
          </button>{' '}
          <button className="danger" id="save-settings-anyway" onClick={() => save({ confirmLockout: true })}>
            Save anyway
          </button>
        </NotSaved>
      )}
      <ErrorText error={error} />
      {notice && <p className="notice">{notice}</p>}
      <button className="primary" id="save-settings" onClick={() => save()}>
        Save
      </button>
    </section>
  );
}
