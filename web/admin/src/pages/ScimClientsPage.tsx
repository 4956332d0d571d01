import { useCallback, useEffect, useState } from 'react';
import { api, CreatedScimClient, Directory, Page, ScimClient } from '../api';
import { DirectorySelect, ErrorText, Field, formatTime } from '../components';

/** SCIM 2.0 clients: one bearer token per identity provider, shown once. */
export function ScimClientsPage() {
  const [clients, setClients] = useState<ScimClient[]>([]);
  const [directories, setDirectories] = useState<Directory[]>([]);
  const [name, setName] = useState('');
  const [directoryId, setDirectoryId] = useState('');
  const [deleteAction, setDeleteAction] = useState('deactivate');
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => api<Page<ScimClient>>('GET', '/api/user-sync/scim-clients').then((page) => setClients(page.items), setError), []);
  useEffect(() => {
    void load();
    api<Page<Directory>>('GET', '/api/user-sync/directories?limit=100').then((page) => setDirectories(page.items), setError);
  }, [load]);
  const directoryName = new Map(directories.map((directory) => [directory.id, directory.name]));

  const create = async () => {
    setError(null);
    try {
      const created = await api<CreatedScimClient>('POST', '/api/user-sync/scim-clients', { name, directoryId, deleteAction });
      setToken(created.token);
      await load();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section className="narrow">
      <h1>SCIM clients</h1>
      <p className="note">
        Identity providers (Entra ID, Okta) push users, changes and leavers to <code>{window.location.origin}/scim/v2</code> with a client's token.
      </p>
      <table>
        <thead>
          <tr>
            <th>Client</th>
            <th>Directory</th>
            <th>DELETE does</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {clients.map((client) => (
            <tr key={client.id}>
              <td>{client.name}</td>
              <td>{directoryName.get(client.directoryId) ?? client.directoryId}</td>
              <td>{client.deleteAction}</td>
              <td>{formatTime(client.createdAt)}</td>
              <td>
                <button className="danger" onClick={() => window.confirm(`Revoke ${client.name}'s token?`) && api('DELETE', `/api/user-sync/scim-clients/${client.id}`).then(load, setError)}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {token && (
        <div className="warning" role="alert">
          <p>The client's token, shown only now: copy it into the identity provider.</p>
          <code id="scim-token">{token}</code>
        </div>
      )}
      <fieldset>
        <legend>New SCIM client</legend>
        <Field label="Name" required>
          <input value={name} onChange={(event) => setName(event.target.value)} />
        </Field>
        <Field label="Directory it provisions into" required>
          <DirectorySelect directories={directories} value={directoryId} onChange={setDirectoryId} />
        </Field>
        <Field label="DELETE /Users/:id">
          <select value={deleteAction} onChange={(event) => setDeleteAction(event.target.value)}>
            <option value="deactivate">deactivates the user</option>
            <option value="delete">deletes the user</option>
          </select>
        </Field>
        <button className="primary" onClick={create}>
          Create client
        </button>
      </fieldset>
      <ErrorText error={error} />
    </section>
  );
}
