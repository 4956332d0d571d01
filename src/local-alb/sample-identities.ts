export interface SampleIdentity {
  id: string;
  label: string;
  claims: Record<string, unknown>;
}

/** Identities offered on the emulator's sign-in page. */
export const SAMPLE_IDENTITIES: SampleIdentity[] = [
  {
    id: 'demo',
    label: 'Demo User (in group users)',
    claims: { sub: 'local-demo-user', email: 'demo.user@example.com', name: 'Demo User', groups: ['users'] },
  },
  {
    id: 'admin',
    label: 'Local Admin (users, alb-usersync-admins)',
    claims: { sub: 'local-admin', email: 'admin@example.com', name: 'Local Admin', groups: ['users', 'alb-usersync-admins'] },
  },
  {
    id: 'contractor',
    label: 'Casey Contractor (no access group: refused)',
    claims: { sub: 'local-contractor', email: 'casey@partner.example', name: 'Casey Contractor', groups: ['contractors'] },
  },
];
