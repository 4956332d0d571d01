import type { AlbPrincipal } from '../../alb-auth/alb-principal';
import type { DirectoryEntity } from '../store/directory.entity';
import type { UserEntity } from '../store/user.entity';

/** What UserSync puts on `request.user`: AlbAuth's principal plus the provisioned user and its directory. */
export interface UserSyncPrincipal extends AlbPrincipal {
  user: { username: string; displayName: string; email: string; active: boolean; attributes: Record<string, string> };
  directory: { id: string; name: string };
}

export function toPrincipalUser(user: Pick<UserEntity, 'username' | 'displayName' | 'email' | 'active' | 'attributes'>): UserSyncPrincipal['user'] {
  return { username: user.username, displayName: user.displayName, email: user.email, active: user.active, attributes: user.attributes ?? {} };
}

export function directoryRef(directory: DirectoryEntity | undefined): UserSyncPrincipal['directory'] {
  return { id: directory?.id ?? '', name: directory?.name ?? '' };
}
