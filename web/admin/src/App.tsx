import { AuditPage } from './pages/AuditPage';
import { DashboardPage } from './pages/DashboardPage';
import { ConnectorEditor } from './pages/ConnectorEditor';
import { ConnectorsPage } from './pages/ConnectorsPage';
import { CreateConnectorWizard } from './pages/CreateConnectorWizard';
import { DirectoriesPage, DirectoryPage, UserPage } from './pages/DirectoriesPage';
import { ScimClientsPage } from './pages/ScimClientsPage';
import { SettingsPage } from './pages/SettingsPage';
import { useEffect, useState } from 'react';
import { api, Me } from './api';
import { useRoute, useRouteQuery, UUID } from './router';

const SECTIONS: Array<[string, string]> = [
  ['dashboard', 'Dashboard'],
  ['connectors', 'Connectors'],
  ['settings', 'ALB authentication'],
  ['directories', 'Directories'],
  ['scim', 'SCIM'],
  ['audit', 'Audit log'],
];

export function App() {
  const route = useRoute();
  const query = useRouteQuery();
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    api<Me>('GET', '/api/me').then(setMe, () => undefined);
  }, []);
  const [section, rawId, sub, subId] = route;
  // Ids go into API paths: only a UUID is one (a crafted link must not aim the page's calls elsewhere).
  const id = rawId === undefined || rawId === 'new' || UUID.test(rawId) ? rawId : 'invalid';
  let page;
  if (id === 'invalid') page = <p className="error">Not found</p>;
  else if (section === 'connectors' && id === 'new') page = <CreateConnectorWizard />;
  else if (section === 'connectors' && id) page = <ConnectorEditor key={id} connectorId={id} justSaved={new URLSearchParams(query).has('saved')} />;
  else if (section === 'settings') page = <SettingsPage />;
  else if (section === 'directories' && id && sub === 'users' && subId) page = <UserPage key={`${id}/${subId}`} directoryId={id} username={subId} />;
  else if (section === 'directories' && id) page = <DirectoryPage key={id} directoryId={id} />;
  else if (section === 'directories') page = <DirectoriesPage />;
  else if (section === 'audit') page = <AuditPage key={query} filters={new URLSearchParams(query)} />;
  else if (section === 'scim') page = <ScimClientsPage />;
  else if (section === 'connectors') page = <ConnectorsPage />;
  else page = <DashboardPage />;
  return (
    <>
      <header>
        <strong>alb-usersync</strong>
        <nav>
          {SECTIONS.map(([path, label]) => (
            <a key={path} href={`#/${path}`} className={section === path ? 'current' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span className="signed-in">
          {me && (
            <span id="signed-in-as" title={me.directory ? `directory ${me.directory.name}` : undefined}>
              {me.displayName || me.username}
            </span>
          )}{' '}
          <a href="/logout" id="sign-out">
            Sign out
          </a>
        </span>
      </header>
      <main>{page}</main>
    </>
  );
}
