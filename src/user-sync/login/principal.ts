import type { AlbPrincipal } from '../../alb-auth/alb-principal';
import type { DomainError } from '../../common/errors/domain-error';

/** What UserSync puts on `request.user`: AlbAuth's principal plus the provisioned user and its directory. */
export interface UserSyncPrincipal extends AlbPrincipal {
  user: { username: string; displayName: string; email: string; active: boolean; attributes: Record<string, string> };
  directory: { id: string; name: string };
  /** The provisioned user's id (sync on). */
  userId?: string;
}

/** A login's outcome as remembered: the principal without its token, or the refusal to repeat. */
export interface LoginOutcome {
  principal: Pick<UserSyncPrincipal, 'username' | 'groups' | 'user' | 'directory' | 'userId'> | null;
  refusal: DomainError | null;
  /** When it was decided (ms): remembered for a while only, so that changes made outside the admin API show. */
  at: number;
}
