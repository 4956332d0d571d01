import { ChangeEvent, useCallback, useEffect, useState } from 'react';
import { api, Connector, Directory, Page } from '../api';
import { go } from '../router';
import { ErrorText, formatTime } from '../components';

export function ConnectorsPage() {
  const [connectors, setConnectors] = useState<Connector[]>([]);
  const [directories, setDirectories] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [importNewDirectory, setImportNewDirectory] = useState(true);

  const load = useCallback(async () => {
    try {
      const [page, dirs] = await Promise.all([
        api<Page<Connector>>('GET', '/api/user-sync/connectors?limit=100'),
        api<Page<Directory>>('GET', '/api/user-sync/directories?limit=100'),
      ]);
      setConnectors(page.items);
      setDirectories(new Map(dirs.items.map((directory) => [directory.id, directory.name])));
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await load();
    } catch (caught) {
      setError(caught);
    }
  };

  const exportConnector = async (connector: Connector) => {
    const body = await api('GET', `/api/user-sync/connectors/${connector.id}/export`);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }));
    link.download = `${connector.name.replace(/[^\w.-]+/g, '_')}.connector.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const importConnector = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    void act(async () => {
      const parsed = JSON.parse(await file.text()) as Record<string, unknown>;
      await api('POST', '/api/user-sync/connectors/import', importNewDirectory ? { ...parsed, createDirectory: true } : parsed);
    });
  };

  return (
    <section>
      <h1>Connectors</h1>
      <p>
        <a className="button primary" href="#/connectors/new" id="create-connector">
          Create connector
        </a>{' '}
        <label className="button">
          Import from a file… <input type="file" accept="application/json,.json" onChange={importConnector} hidden />
        </label>{' '}
        <label>
          <input type="checkbox" checked={importNewDirectory} onChange={(event) => setImportNewDirectory(event.target.checked)} /> into a new directory
        </label>
      </p>
      <ErrorText error={error} />
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Enabled</th>
            <th>Directory</th>
            <th>Users provisioned</th>
            <th>Last login</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {connectors.map((connector) => (
            <tr key={connector.id}>
              <td>
                <a href={`#/connectors/${connector.id}`}>{connector.name}</a>
              </td>
              <td>Just-in-time</td>
              <td>{connector.enabled ? 'yes' : 'no'}</td>
              <td>
                <a href={`#/directories/${connector.directoryId}`}>{directories.get(connector.directoryId) ?? connector.directoryId}</a>
              </td>
              <td>{connector.stats?.users ?? 0}</td>
              <td>{formatTime(connector.stats?.lastLoginAt)}</td>
              <td className="actions">
                <button onClick={() => go('connectors', connector.id)}>Edit</button>
                <button onClick={() => act(() => api('PATCH', `/api/user-sync/connectors/${connector.id}`, { enabled: !connector.enabled, confirm: true }))}>
                  {connector.enabled ? 'Disable' : 'Enable'}
                </button>
                <button onClick={() => act(() => exportConnector(connector))}>Export</button>
                <button
                  className="danger"
                  onClick={() => window.confirm(`Delete connector ${connector.name}?`) && act(() => api('DELETE', `/api/user-sync/connectors/${connector.id}`))}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {connectors.length === 0 && <p>No connector yet.</p>}
    </section>
  );
}
