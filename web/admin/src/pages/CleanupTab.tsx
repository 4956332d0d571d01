import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, CleanupPreview, CleanupRule, CleanupRun, CleanupRunResult, list, Page } from '../api';
import { ErrorText, Field, formatTime } from '../components';

/** Who a preview names or a run affected. */
type Candidate = Pick<CleanupPreview['users'][number], 'username' | 'reason'>;

/** A directory's inactive-user cleanup rules: create, preview, run, history. */
export function CleanupTab({ directoryId }: { directoryId: string }) {
  const base = `/api/user-sync/directories/${directoryId}/cleanup-rules`;
  const [rules, setRules] = useState<CleanupRule[]>([]);
  const [draft, setDraft] = useState({ name: '', inactiveDays: '90', onlyGroups: '', exceptGroups: '', maxPerRun: '100', action: 'deactivate', schedule: '' });
  const [result, setResult] = useState<{ title: string; users: Candidate[]; more: boolean } | null>(null);
  const [runs, setRuns] = useState<CleanupRun[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => api<Page<CleanupRule>>('GET', base).then((page) => setRules(page.items), setError), [base]);
  useEffect(() => void load(), [load]);
  const problems = error instanceof ApiError ? error.fieldProblems() : new Map<string, string>();

  const create = async () => {
    setError(null);
    try {
      await api('POST', base, {
        name: draft.name,
        inactiveDays: Number(draft.inactiveDays),
        onlyGroups: list(draft.onlyGroups),
        exceptGroups: list(draft.exceptGroups),
        maxPerRun: Number(draft.maxPerRun),
        action: draft.action,
        schedule: draft.schedule.trim() || null,
      });
      await load();
    } catch (caught) {
      setError(caught);
    }
  };
  const act = async (rule: CleanupRule, what: 'preview' | 'run') => {
    setError(null);
    if (what === 'run' && !window.confirm(`${rule.action === 'delete' ? 'Delete' : 'Deactivate'} the users rule ${rule.name} selects now?`)) return;
    try {
      const path = `${base}/${rule.id}/${what}`;
      const users = what === 'preview' ? await api<CleanupPreview>('POST', path, {}) : await api<CleanupRunResult>('POST', path, {});
      setResult({ title: what === 'preview' ? `${rule.name}: would ${rule.action}` : `${rule.name}: ${rule.action}d`, users: 'users' in users ? users.users : users.affected, more: users.more });
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <>
      <table id="cleanup-rules">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Inactive days</th>
            <th>Only / except groups</th>
            <th>Per run</th>
            <th>Action</th>
            <th>Schedule (UTC)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule.id}>
              <td>
                {rule.name}
                {rule.enabled ? '' : ' (disabled)'}
              </td>
              <td>{rule.inactiveDays}</td>
              <td>
                {rule.onlyGroups.join(', ') || 'everyone'} / {rule.exceptGroups.join(', ') || '—'}
              </td>
              <td>{rule.maxPerRun}</td>
              <td>{rule.action}</td>
              <td>{rule.schedule ?? 'when asked'}</td>
              <td className="actions">
                <button onClick={() => act(rule, 'preview')}>Preview</button>
                <button className="danger" onClick={() => act(rule, 'run')}>
                  Run now
                </button>
                <button onClick={() => api<Page<CleanupRun>>('GET', `${base}/${rule.id}/runs`).then((page) => setRuns(page.items), setError)}>History</button>
                <button onClick={() => api('PATCH', `${base}/${rule.id}`, { enabled: !rule.enabled }).then(load, setError)}>{rule.enabled ? 'Disable' : 'Enable'}</button>
                <button className="danger" onClick={() => window.confirm(`Delete rule ${rule.name}?`) && api('DELETE', `${base}/${rule.id}`).then(load, setError)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result && (
        <div className="warning" id="cleanup-result">
          <strong>{result.title}</strong>: {result.users.length} user(s){result.more ? ' (more beyond maxPerRun)' : ''}
          <ul>
            {result.users.map((user) => (
              <li key={user.username}>
                {user.username}: {user.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {runs && (
        <table>
          <thead>
            <tr>
              <th>Run</th>
              <th>Trigger</th>
              <th>Affected</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id}>
                <td>{formatTime(run.startedAt)}</td>
                <td>{run.trigger}</td>
                <td>{run.affected}</td>
                <td>{run.error ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <fieldset>
        <legend>New cleanup rule</legend>
        <div className="row">
          <Field label="Name" required problem={problems.get('name')}>
            <input value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} />
          </Field>
          <Field label="Inactive days" required problem={problems.get('inactiveDays')}>
            <input inputMode="numeric" value={draft.inactiveDays} onChange={(event) => setDraft({ ...draft, inactiveDays: event.target.value })} />
          </Field>
          <Field label="At most per run" problem={problems.get('maxPerRun')}>
            <input inputMode="numeric" value={draft.maxPerRun} onChange={(event) => setDraft({ ...draft, maxPerRun: event.target.value })} />
          </Field>
        </div>
        <Field label="Only groups (comma-separated names or /patterns/; empty: everyone)" problem={problems.get('onlyGroups[0]')}>
          <input value={draft.onlyGroups} onChange={(event) => setDraft({ ...draft, onlyGroups: event.target.value })} />
        </Field>
        <Field label="Except groups" problem={problems.get('exceptGroups[0]')}>
          <input value={draft.exceptGroups} onChange={(event) => setDraft({ ...draft, exceptGroups: event.target.value })} />
        </Field>
        <div className="row">
          <Field label="Action">
            <select value={draft.action} onChange={(event) => setDraft({ ...draft, action: event.target.value })}>
              <option value="deactivate">deactivate</option>
              <option value="delete">delete (cannot be undone)</option>
            </select>
          </Field>
          <Field label="Schedule: cron, UTC (empty: only when asked)" problem={problems.get('schedule')}>
            <input placeholder="0 3 * * *" value={draft.schedule} onChange={(event) => setDraft({ ...draft, schedule: event.target.value })} />
          </Field>
        </div>
        <button className="primary" onClick={create}>
          Create rule
        </button>
      </fieldset>
      <ErrorText error={error} />
    </>
  );
}
