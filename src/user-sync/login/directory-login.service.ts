import { Injectable } from '@nestjs/common';
import { ConfigSnapshot } from '../config/config-snapshot.service';
import { lookupKey, nameProblem } from '../identity/identity-rules';
import { GroupsStore } from '../store/groups.store';
import { UsersStore } from '../store/users.store';
import { effectiveGroups, PlannedDirectoryLogin, planDirectoryLogin } from './login-planner';
import { AlbSettings } from '../config/alb-settings.service';
import { StoreTx } from '../store/store-tx';
import { UserEntity } from '../store/user.entity';

/** A login while user sync is off: the user must already be in an active directory (first in `position` order wins). */
@Injectable()
export class DirectoryLogin {
  constructor(
    private readonly users: UsersStore,
    private readonly groups: GroupsStore,
  ) {}

  /** What the login would decide, under these settings (which may be a change not saved yet); writes nothing. */
  async decide(
    snapshot: Pick<ConfigSnapshot, 'activeDirectories'>,
    settings: Pick<AlbSettings, 'protectedGroups' | 'accessGroups'>,
    claimName: string,
    username: string,
    tx?: StoreTx,
  ): Promise<{ outcome: PlannedDirectoryLogin; user: UserEntity | undefined }> {
    const usernameKey = username ? lookupKey(username) : null;
    const directoryIds = snapshot.activeDirectories.map((directory) => directory.id);
    const candidates = usernameKey !== null ? await this.users.byUsernameKeyIn(directoryIds, usernameKey, tx) : [];
    const first = snapshot.activeDirectories
      .map((directory) => candidates.find((candidate) => candidate.directoryId === directory.id))
      .find(Boolean);
    const groups = first ? effectiveGroups(await this.groups.memberships([first.id], tx), settings.protectedGroups) : [];
    return { outcome: planDirectoryLogin(claimName, username, username ? nameProblem(username) : null, first, groups, settings.accessGroups), user: first };
  }
}
