import { useEffect, useState } from 'react';
import { api, AuditEvent, Connector, Page } from '../api';
import { ErrorText, formatTime } from '../components';

const TYPES = ['user.created', 'user.updated', 'user.renamed', 'user.reactivated', 'user.deactivated', 'user.deleted', 'groups.changed', 'groups.protected', 'login.refused', 'config.changed', 'cleanup.ran'];

export function AuditPage() {
  const [type, setType] = useState('');
  const [username, setUsername] = useState('');
  const [connectorId, setConnectorId] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
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
    if (connectorId) query.set('connectorId', connectorId);
    if (since) query.set('since', new Date(since).toISOString());
    if (until) query.set('until', new Date(until).toISOString());
    const timer = setTimeout(() => api<Page<AuditEvent>>('GET', `/api/user-sync/audit?${query}`).then((page) => (setEvents(page), setError(null)), setError), 200);
    return () => clearTimeout(timer);
  }, [type, username, connectorId, since, until, offset]);

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
                  <code>{JSON.stringify(event.details)}</code>
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
