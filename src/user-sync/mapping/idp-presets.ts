import type { ConnectorGroupOptions, Mapping } from '../store/connector.types';

/**
 * Where a connector starts from for a given IdP: which claims the ALB forwards from it, mapped to
 * username, full name, email and groups. The ALB puts the IdP's user-info answer in
 * `x-amzn-oidc-data` and forwards the access token in `x-amzn-oidc-accesstoken`; `access:` sources
 * read the latter (docs/connectors.md, "Which claims does my IdP send?").
 */
export interface IdpPreset {
  id: string;
  name: string;
  description: string;
  /** A connector body without its name: POST /connectors { preset, name, … } starts from it. */
  connector: { primaryKey: string; mappings: Mapping[]; groups?: Partial<ConnectorGroupOptions> };
  /**
   * The IdP's logout URL, for the settings' `logout.redirectUrl`: replace each `{placeholder}`
   * (`{logoutUri}` is where the IdP sends the browser back, URL-encoded).
   */
  logoutUrl: string | null;
  notes: string[];
  /** The documentation the claim names come from. */
  references: string[];
  /** Typical claims of one user, as the ALB forwards them (and those of its access token). */
  sample: { claims: Record<string, unknown>; accessClaims?: Record<string, unknown> };
}

const displayName = (sources: string[]): Mapping => ({ attribute: 'displayName', sources });
const email: Mapping = { attribute: 'email', sources: ['email'], transformations: [{ type: 'lowercase' }] };

export const IDP_PRESETS: readonly IdpPreset[] = [
  {
    id: 'cognito',
    name: 'Amazon Cognito',
    description: 'A Cognito user pool as the ALB\'s authenticator (authenticate-cognito): groups come from the access token',
    connector: {
      primaryKey: 'sub',
      mappings: [
        { attribute: 'username', sources: ['username', 'email'] },
        displayName(['name', 'email']),
        email,
        { attribute: 'groups', sources: ['access:cognito:groups'] },
      ],
    },
    logoutUrl: 'https://{domain}/logout?client_id={clientId}&logout_uri={logoutUri}',
    notes: [
      'The user-info answer the ALB forwards holds the user pool attributes (sub, username, email, name…) but not cognito:groups: only the access token carries it, hence access:cognito:groups (needs ALB_ACCESS_TOKEN_ISSUER, derived from a Cognito ALB_ISSUER).',
      'name is sent only when the attribute is set and readable by the app client; email is the fallback full name.',
      '{domain} is the user pool domain (…auth.<region>.amazoncognito.com or your custom domain); {logoutUri} must be one of the app client\'s sign-out URLs.',
    ],
    references: [
      'https://docs.aws.amazon.com/cognito/latest/developerguide/userinfo-endpoint.html',
      'https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html',
      'https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html',
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html',
    ],
    sample: {
      claims: { sub: '94e8c4a8-7031-70c7-1c2d-2b9e4d7c6a11', email_verified: 'true', email: 'jane.doe@example.com', name: 'Jane Doe', username: 'jane.doe' },
      accessClaims: {
        sub: '94e8c4a8-7031-70c7-1c2d-2b9e4d7c6a11',
        'cognito:groups': ['confluence-users', 'eu-west-1_AbCdEf_Google'],
        token_use: 'access',
        scope: 'openid email profile',
        client_id: '5r7ab1example',
        username: 'jane.doe',
      },
    },
  },
  {
    id: 'entra',
    name: 'Microsoft Entra ID',
    description: 'Entra ID (Azure AD) over OIDC v2.0: UPN as username, guest UPNs turned back into their email',
    connector: {
      primaryKey: 'sub',
      mappings: [
        { attribute: 'username', sources: ['upn', 'preferred_username', 'email'], transformations: [{ type: 'azureGuestUpnToEmail' }, { type: 'lowercase' }] },
        displayName(['name', 'email']),
        email,
        { attribute: 'groups', sources: ['groups'] },
      ],
    },
    logoutUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/logout?post_logout_redirect_uri={logoutUri}',
    notes: [
      'Entra\'s user-info endpoint answers sub, name, given_name, family_name, picture and email only; upn, preferred_username and groups come when configured as optional claims and the ALB\'s user-info call returns them, else username falls back to email.',
      'groups holds group object ids (GUIDs), not names, and is left out beyond 200 groups (the overage claim): map them with a map transformation, or use app roles.',
      'Guest users have UPNs like jane_contoso.com#EXT#@tenant.onmicrosoft.com: azureGuestUpnToEmail makes that jane@contoso.com.',
      'Access tokens issued for Microsoft Graph cannot be verified by anyone but Graph: use access: sources only with a token for your own API (ALB_ACCESS_TOKEN_ISSUER https://login.microsoftonline.com/{tenant}/v2.0, ALB_ACCESS_TOKEN_JWKS_URI https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys).',
    ],
    references: [
      'https://learn.microsoft.com/en-us/entra/identity-platform/userinfo',
      'https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference',
      'https://learn.microsoft.com/en-us/entra/identity-platform/optional-claims',
      'https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#send-a-sign-out-request',
    ],
    sample: {
      claims: {
        sub: 'OLu859SGc2Sr9ZsqbkG-QbeLgJlb41KcdiPoLYNpSFA',
        name: 'Jane Doe',
        given_name: 'Jane',
        family_name: 'Doe',
        email: 'jane.doe@contoso.com',
        upn: 'jane_contoso.com#EXT#@fabrikam.onmicrosoft.com',
        groups: ['0f3c3d2e-7b3b-4a8e-9a1f-2c1d5e6f7a8b'],
      },
    },
  },
  {
    id: 'okta',
    name: 'Okta',
    description: 'Okta (org or custom authorization server) over OIDC',
    connector: {
      primaryKey: 'sub',
      mappings: [
        { attribute: 'username', sources: ['preferred_username', 'email'], transformations: [{ type: 'lowercase' }] },
        displayName(['name', 'email']),
        email,
        { attribute: 'groups', sources: ['groups'] },
      ],
    },
    logoutUrl: 'https://{domain}/login/signout?fromURI={logoutUri}',
    notes: [
      'groups is sent only with a Groups claim configured on the app (filter, e.g. Matches regex .*) and the groups scope in the ALB\'s scope list.',
      'The OIDC logout endpoint needs id_token_hint, which the ALB does not expose: the classic /login/signout?fromURI= is used instead.',
    ],
    references: [
      'https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/OrgAS/#tag/OrgAS/operation/userinfo',
      'https://developer.okta.com/docs/guides/customize-tokens-groups-claim/main/',
      'https://developer.okta.com/docs/reference/api/oidc/#scope-dependent-claims-not-always-returned',
    ],
    sample: {
      claims: {
        sub: '00uid4BxXw6I6TV4m0g3',
        name: 'Jane Doe',
        email: 'jane.doe@example.com',
        preferred_username: 'jane.doe@example.com',
        given_name: 'Jane',
        family_name: 'Doe',
        zoneinfo: 'America/Los_Angeles',
        groups: ['Everyone', 'confluence-users'],
      },
    },
  },
  {
    id: 'google',
    name: 'Google Workspace',
    description: 'Google (accounts.google.com) over OIDC: the Workspace domain kept as an attribute',
    connector: {
      primaryKey: 'sub',
      mappings: [
        { attribute: 'username', sources: ['email'], transformations: [{ type: 'lowercase' }] },
        displayName(['name', 'email']),
        email,
        { attribute: 'attributes.hostedDomain', sources: ['hd'] },
      ],
    },
    logoutUrl: null,
    notes: [
      'hd is the Google Workspace domain, absent for consumer accounts. To let in only your Workspace, add to the hostedDomain mapping a filter transformation (pattern ^example\\.com$) with onNoMatch reject.',
      'Google sends no groups: assign them with groups.alwaysAssign or by hand.',
      'Google has no logout redirect for third parties: leave logout.redirectUrl empty (the ALB session cookies are still deleted).',
    ],
    references: ['https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload', 'https://developers.google.com/identity/openid-connect/openid-connect#obtaininguserprofileinformation'],
    sample: {
      claims: {
        sub: '110169484474386276334',
        name: 'Jane Doe',
        given_name: 'Jane',
        family_name: 'Doe',
        picture: 'https://lh3.googleusercontent.com/a/example',
        email: 'jane.doe@example.com',
        email_verified: true,
        hd: 'example.com',
      },
    },
  },
  {
    id: 'auth0',
    name: 'Auth0',
    description: 'Auth0 over OIDC: groups from a namespaced claim an Auth0 Action adds',
    connector: {
      primaryKey: 'sub',
      mappings: [
        { attribute: 'username', sources: ['email', 'nickname'], transformations: [{ type: 'lowercase' }] },
        displayName(['name', 'nickname', 'email']),
        email,
        { attribute: 'groups', sources: ['https://alb-usersync.example/groups'] },
      ],
    },
    logoutUrl: 'https://{domain}/v2/logout?client_id={clientId}&returnTo={logoutUri}',
    notes: [
      'Auth0 sends no groups or roles on its own: a post-login Action must add them as a namespaced custom claim (api.idToken.setCustomClaim and api.accessToken.setCustomClaim); change https://alb-usersync.example/groups to your namespace.',
      '{logoutUri} must be listed under the application\'s Allowed Logout URLs.',
    ],
    references: [
      'https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims',
      'https://auth0.com/docs/api/authentication#user-profile',
      'https://auth0.com/docs/authenticate/login/logout/log-users-out-of-auth0',
    ],
    sample: {
      claims: {
        sub: 'auth0|6123456789abcdef01234567',
        nickname: 'jane.doe',
        name: 'Jane Doe',
        picture: 'https://s.gravatar.com/avatar/example.png',
        updated_at: '2026-11-20T10:00:00.000Z',
        email: 'jane.doe@example.com',
        email_verified: true,
        'https://alb-usersync.example/groups': ['confluence-users'],
      },
    },
  },
  {
    id: 'keycloak',
    name: 'Keycloak',
    description: 'A Keycloak realm over OIDC: groups from the group-membership mapper',
    connector: {
      primaryKey: 'sub',
      mappings: [
        { attribute: 'username', sources: ['preferred_username', 'email'] },
        displayName(['name', 'email']),
        email,
        { attribute: 'groups', sources: ['groups'], transformations: [{ type: 'regexReplace', pattern: '^/', replacement: '' }] },
      ],
    },
    logoutUrl: 'https://{host}/realms/{realm}/protocol/openid-connect/logout?client_id={clientId}&post_logout_redirect_uri={logoutUri}',
    notes: [
      'groups is sent only with a Group Membership mapper on the client (Add to userinfo on); with Full group path on, names start with / (removed here) and nested groups read parent/child.',
      'preferred_username is the Keycloak username (lower case).',
    ],
    references: [
      'https://www.keycloak.org/docs/latest/server_admin/#_protocol-mappers',
      'https://www.keycloak.org/docs/latest/securing_apps/#logout',
    ],
    sample: {
      claims: {
        sub: 'f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b',
        email_verified: true,
        name: 'Jane Doe',
        preferred_username: 'jane.doe',
        given_name: 'Jane',
        family_name: 'Doe',
        email: 'jane.doe@example.com',
        groups: ['/confluence-users', '/engineering/backend'],
      },
    },
  },
];

export function findPreset(id: string): IdpPreset | undefined {
  return IDP_PRESETS.find((preset) => preset.id === id);
}
