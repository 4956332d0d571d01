import { VerifiedAlbToken } from './verifier/alb-token.types';

/**
 * What `request.user` (and `@CurrentUser()`) holds on a protected route. Read it, do not change
 * it: the requests of one token share it while its login outcome is remembered.
 */
export interface AlbPrincipal {
  /** The verified token's facts (never the raw token). */
  token: VerifiedAlbToken;
  username: string;
  groups: string[];
  /** Whatever the principal resolver adds (UserSync: the provisioned user). */
  [extra: string]: unknown;
}

/**
 * Turns a verified token into the request's principal. UserSync provides the provisioning one;
 * without it the principal is the token's own identity and has no groups.
 */
export abstract class AlbPrincipalResolver {
  /** The principal, without a promise when it is already known (a remembered refusal is thrown then). */
  abstract resolve(token: VerifiedAlbToken): AlbPrincipal | Promise<AlbPrincipal>;
}

export function principalFromToken(token: VerifiedAlbToken): AlbPrincipal {
  const name = [token.claims.username, token.claims.email].find((value) => typeof value === 'string' && value);
  return { token, username: (name as string | undefined) ?? token.sub, groups: [] };
}
