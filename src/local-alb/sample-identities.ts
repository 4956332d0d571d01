export interface SampleIdentity {
  id: string;
  /** Who it is; the sign-in page adds its groups (what the current settings make of them is the login's to say). */
  label: string;
  /** The user-info claims the ALB puts in x-amzn-oidc-data. */
  claims: Record<string, unknown>;
  /** What only the access token carries, as with Amazon Cognito: the groups. */
  accessClaims: Record<string, unknown>;
}

/** Identities offered on the emulator's sign-in page, shaped as Amazon Cognito sends them. */
export const SAMPLE_IDENTITIES: SampleIdentity[] = [
  {
    id: 'demo',
    label: 'Demo User',
    claims: { sub: 'local-demo-user', username: 'demo.user', email: 'demo.user@example.com', name: 'Demo User' },
    accessClaims: { 'cognito:groups': ['users'] },
  },
  {
    id: 'admin',
    label: 'Local Admin (admin by a membership granted by hand: claims cannot grant it)',
    claims: { sub: 'local-admin', username: 'admin', email: 'admin@example.com', name: 'Local Admin' },
    accessClaims: { 'cognito:groups': ['users', 'alb-usersync-admins'] },
  },
  {
    id: 'contractor',
    label: 'Casey Contractor',
    claims: { sub: 'local-contractor', username: 'casey', email: 'casey@partner.example', name: 'Casey Contractor' },
    accessClaims: { 'cognito:groups': ['contractors'] },
  },
];

/** Typed claims: like Cognito, the emulator sends `cognito:groups` only in the access token. */
export function splitTypedClaims(typed: Record<string, unknown>): { claims: Record<string, unknown>; accessClaims: Record<string, unknown> } {
  const { 'cognito:groups': groups, ...claims } = typed;
  return { claims, accessClaims: groups === undefined ? {} : { 'cognito:groups': groups } };
}

/** The groups an identity's access token carries, as the sign-in page lists them. */
export function groupsOf(identity: SampleIdentity): string[] {
  const groups = identity.accessClaims['cognito:groups'];
  return Array.isArray(groups) ? groups.map(String) : [];
}
