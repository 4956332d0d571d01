import { useEffect, useState } from 'react';
import { api, AuditEvent, Connector, Page } from '../api';
import { ErrorText, formatTime } from '../components';

const TYPES = ['user.created', 'user.updated', 'user.renamed', 'user.reactivated', 'user.deactivated', 'user.deleted', 'groups.changed', 'groups.protected', 'login.refused', 'config.changed', 'cleanup.ran'];

/** An instant as a datetime-local input shows it (local time, to the minute). */
function localInput(iso: string | null): string {
  const time = iso ? new Date(iso) : null;
  if (!time || Number.isNaN(time.getTime())) return '';
  return new Date(time.getTime() - time.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The audit log, filtered as its link says (#/audit?type=…&username=…&actor=…&since=…&until=…) and then by hand. */
export function AuditPage({ filters }: { filters: URLSearchParams }) {
  const [type, setType] = useState(filters.get('type') ?? '');
  const [username, setUsername] = useState(filters.get('username') ?? '');
  const [actor, setActor] = useState(filters.get('actor') ?? '');
  const [connectorId, setConnectorId] = useState(filters.get('connectorId') ?? '');
  const [since, setSince] = useState(localInput(filters.get('since')));
  const [until, setUntil] = useState(localInput(filters.get('until')));
  const [offset, setOffset] = useState(0);
  const [events, setEvents] = useState<Page<AuditEvent>>({ items: [], total: 0 });
  const [connectors, setConnectors] = useState<Connector[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<Page<Connector>>('GET', '/api/user-sync/connectors?limit=100').then((page) => setConnectors(page.items), () => undefined);
  }, []);
  useEffect(() => {
    const query = new URLSearchParams({ limit: '50', offset: String(offset) });
    if (type) query.set('type', type);
    if (username) query.set('username', username);
    if (actor) query.set('actor', actor);
    if (connectorId) query.set('connectorId', connectorId);
    if (since) query.set('since', new Date(since).toISOString());
    if (until) query.set('until', new Date(until).toISOString());
    const timer = setTimeout(() => api<Page<AuditEvent>>('GET', `/api/user-sync/audit?${query}`).then((page) => (setEvents(page), setError(null)), setError), 200);
    return () => clearTimeout(timer);
  }, [type, username, actor, connectorId, since, until, offset]);

  const names = new Map(connectors.map((connector) => [connector.id, connector.name]));
  return (
    <section>
      <h1>Audit log</h1>
      <p className="filters">
        <select aria-label="Type" value={type} onChange={(event) => (setType(event.target.value), setOffset(0))}>
          <option value="">every type</option>
          {TYPES.map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
        <input aria-label="Username" placeholder="username" value={username} onChange={(event) => (setUsername(event.target.value), setOffset(0))} />
        <input aria-label="Actor" placeholder="actor (login, an admin, scim:…)" value={actor} onChange={(event) => (setActor(event.target.value), setOffset(0))} />
        <select aria-label="Connector" value={connectorId} onChange={(event) => (setConnectorId(event.target.value), setOffset(0))}>
          <option value="">every connector</option>
          {connectors.map((connector) => (
            <option key={connector.id} value={connector.id}>
              {connector.name}
            </option>
          ))}
        </select>
        <label>
          from <input type="datetime-local" value={since} onChange={(event) => (setSince(event.target.value), setOffset(0))} />
        </label>
        <label>
          until <input type="datetime-local" value={until} onChange={(event) => (setUntil(event.target.value), setOffset(0))} />
        </label>
      </p>
      <ErrorText error={error} />
      <table id="audit">
        <thead>
          <tr>
            <th>Time</th>
            <th>Type</th>
            <th>Actor</th>
            <th>User</th>
            <th>Connector</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {events.items.map((event) => (
            <tr key={event.id} data-type={event.type}>
              <td>{formatTime(event.createdAt)}</td>
              <td>{event.type}</td>
              <td>{event.actor}</td>
              <td>{event.username ?? '—'}</td>
              <td>{event.connectorId ? (names.get(event.connectorId) ?? event.connectorId) : '—'}</td>
              <td>
                {event.type === 'login.refused' ? (
                  <span>
                    <strong>{String(event.details.code)}</strong>: {String(event.details.reason)}
                  </span>
                ) : (
                  <Details details={event.details} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 50))}>
          Newer
        </button>{' '}
        {events.total} events{' '}
        <button disabled={offset + 50 >= events.total} onClick={() => setOffset(offset + 50)}>
          Older
        </button>
      </p>
    </section>
  );
}

/** An event's details as fields: lists joined, nested values as compact JSON. */
function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (!entries.length) return <span className="note">—</span>;
  return (
    <dl className="details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{Array.isArray(value) && value.every((item) => typeof item !== 'object') ? value.join(', ') || '—' : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
