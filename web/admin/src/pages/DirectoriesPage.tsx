import { useCallback, useEffect, useState } from 'react';
import { api, Connector, Directory, Group, list, Page, User } from '../api';
import { ErrorText, Field, formatTime } from '../components';
import { CleanupTab } from './CleanupTab';

const PAGE = 20;

export function DirectoriesPage() {
  const [directories, setDirectories] = useState<Directory[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Page<Directory>>('GET', '/api/user-sync/directories?limit=100').then((page) => setDirectories(page.items), setError);
  }, []);
  return (
    <section>
      <h1>Directories</h1>
      <ErrorText error={error} />
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Active</th>
            <th>Position</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          {directories.map((directory) => (
            <tr key={directory.id}>
              <td>
                <a href={`#/directories/${directory.id}`}>{directory.name}</a>
              </td>
              <td>{directory.active ? 'yes' : 'no'}</td>
              <td>{directory.position}</td>
              <td>{directory.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function DirectoryPage({ directoryId }: { directoryId: string }) {
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [tab, setTab] = useState<'users' | 'groups' | 'cleanup'>('users');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [users, setUsers] = useState<Page<User>>({ items: [], total: 0 });
  const [groups, setGroups] = useState<Page<Group>>({ items: [], total: 0 });
  const [newGroup, setNewGroup] = useState('');
  const [error, setError] = useState<unknown>(null);
  const base = `/api/user-sync/directories/${directoryId}`;

  const load = useCallback(async () => {
    try {
      const query = `limit=${PAGE}&offset=${offset}${search ? `&search=${encodeURIComponent(search)}` : ''}`;
      const [dir, userPage, groupPage] = await Promise.all([
        api<Directory>('GET', base),
        api<Page<User>>('GET', `${base}/users?${query}`),
        api<Page<Group>>('GET', `${base}/groups?limit=100`),
      ]);
      setDirectory(dir);
      setUsers(userPage);
      setGroups(groupPage);
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [base, offset, search]);
  useEffect(() => {
    const timer = setTimeout(() => void load(), 200);
    return () => clearTimeout(timer);
  }, [load]);

  return (
    <section>
      <h1>Directory {directory?.name}</h1>
      <p className="tabs">
        <button className={tab === 'users' ? 'current' : undefined} onClick={() => setTab('users')}>
          Users ({users.total})
        </button>
        <button className={tab === 'groups' ? 'current' : undefined} onClick={() => setTab('groups')}>
          Groups ({groups.total})
        </button>
        <button className={tab === 'cleanup' ? 'current' : undefined} onClick={() => setTab('cleanup')}>
          Inactive-user cleanup
        </button>
      </p>
      <ErrorText error={error} />
      {tab === 'cleanup' ? (
        <CleanupTab directoryId={directoryId} />
      ) : tab === 'users' ? (
        <>
          <input
            type="search"
            aria-label="Search users"
            placeholder="Search username, name or email"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setOffset(0);
            }}
          />
          <table id="users">
            <thead>
              <tr>
                <th>Username</th>
                <th>Full name</th>
                <th>Email</th>
                <th>Active</th>
                <th>Groups</th>
                <th>Last login</th>
              </tr>
            </thead>
            <tbody>
              {users.items.map((user) => (
                <tr key={user.id} data-username={user.username}>
                  <td>
                    <a href={`#/directories/${directoryId}/users/${encodeURIComponent(user.username)}`}>{user.username}</a>
                  </td>
                  <td>{user.displayName}</td>
                  <td>{user.email}</td>
                  <td>{user.active ? 'yes' : 'no'}</td>
                  <td className="user-groups">{user.groups.join(', ')}</td>
                  <td>{formatTime(user.lastLoginAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>{' '}
            {users.total ? `${offset + 1}–${Math.min(offset + PAGE, users.total)} of ${users.total}` : 'no users'}{' '}
            <button disabled={offset + PAGE >= users.total} onClick={() => setOffset(offset + PAGE)}>
              Next
            </button>
          </p>
        </>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th>Group</th>
                <th>Members</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {groups.items.map((group) => (
                <tr key={group.id}>
                  <td>{group.name}</td>
                  <td>{group.members}</td>
                  <td>
                    <button
                      className="danger"
                      onClick={() =>
                        window.confirm(`Delete group ${group.name}?`) &&
                        api('DELETE', `${base}/groups/${encodeURIComponent(group.name)}`).then(load, setError)
                      }
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <input aria-label="New group" value={newGroup} onChange={(event) => setNewGroup(event.target.value)} />{' '}
            <button onClick={() => api('POST', `${base}/groups`, { name: newGroup }).then(() => (setNewGroup(''), load()), setError)}>Create group</button>
          </p>
        </>
      )}
    </section>
  );
}

export function UserPage({ directoryId, username }: { directoryId: string; username: string }) {
  const [user, setUser] = useState<User | null>(null);
  const [connectors, setConnectors] = useState<Map<string, string>>(new Map());
  const [manual, setManual] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const path = `/api/user-sync/directories/${directoryId}/users/${encodeURIComponent(username)}`;

  const load = useCallback(async () => {
    try {
      const loaded = await api<User>('GET', path);
      setUser(loaded);
      setManual((loaded.memberships ?? []).filter((membership) => membership.origin === 'manual').map((membership) => membership.group).join(', '));
    } catch (caught) {
      setError(caught);
    }
  }, [path]);
  useEffect(() => {
    void load();
    api<Page<Connector>>('GET', '/api/user-sync/connectors?limit=100').then(
      (page) => setConnectors(new Map(page.items.map((connector) => [connector.id, connector.name]))),
      () => undefined,
    );
  }, [load]);

  if (!user) return <ErrorText error={error} />;
  const change = async (body: object) => {
    setError(null);
    setNotice(null);
    try {
      setUser(await api<User>('PATCH', path, body));
      await load();
      setNotice('Saved');
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section className="narrow">
      <p>
        <a href={`#/directories/${directoryId}`}>← directory</a>
      </p>
      <h1>
        {user.displayName} ({user.username})
      </h1>
      <dl>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Active</dt>
        <dd>{user.active ? 'yes' : 'no'}</dd>
        <dt>Primary key</dt>
        <dd>{user.externalId ?? '—'}</dd>
        <dt>Last login</dt>
        <dd>{formatTime(user.lastLoginAt)}</dd>
      </dl>
      <button onClick={() => change({ active: !user.active })}>{user.active ? 'Deactivate' : 'Activate'}</button>
      {Object.keys(user.attributes).length > 0 && (
        <>
          <h2>Attributes</h2>
          <table id="attributes">
            <tbody>
              {Object.entries(user.attributes).map(([name, value]) => (
                <tr key={name}>
                  <th>{name}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>Groups</h2>
      <table id="memberships">
        <thead>
          <tr>
            <th>Group</th>
            <th>Granted by</th>
          </tr>
        </thead>
        <tbody>
          {(user.memberships ?? []).map((membership) => (
            <tr key={`${membership.group}/${membership.origin}`}>
              <td>{membership.group}</td>
              <td>{membership.origin === 'manual' ? 'hand (manual)' : `connector ${connectors.get(membership.origin) ?? membership.origin}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Field label="Manual groups (comma-separated; logins never change them)">
        <input value={manual} onChange={(event) => setManual(event.target.value)} />
      </Field>
      <button onClick={() => change({ groups: list(manual) })}>Save manual groups</button>
      <ErrorText error={error} />
      {notice && <p className="notice">{notice}</p>}
      <p>
        <a className="button" href={`#/audit?username=${encodeURIComponent(username)}`} id="user-audit">
          Audit log of {username}
        </a>
      </p>
    </section>
  );
}
