import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { ConfigSnapshot } from '../config/config-snapshot.service';
import { lookupKey, nameProblem } from '../identity/identity-rules';
import { GroupsStore } from '../store/groups.store';
import { UsersStore } from '../store/users.store';
import { USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../user-sync.options';
import { CachedOutcome, LoginCache } from './login-cache';
import { effectiveGroups, PlannedDirectoryLogin, planDirectoryLogin } from './login-planner';
import { AlbSettings } from '../config/alb-settings.service';
import { StoreTx } from '../store/store-tx';
import { UserEntity } from '../store/user.entity';
import { lastLoginDue, lastLoginInterval } from './last-login';
import { LoginWriter } from './login-writer.service';
import { directoryRef, toPrincipalUser } from './principal';

/** A login while user sync is off: the user must already be in an active directory (first in `position` order wins). */
@Injectable()
export class DirectoryLogin {
  private readonly lastLoginIntervalMs: number;

  constructor(
    private readonly users: UsersStore,
    private readonly groups: GroupsStore,
    private readonly writer: LoginWriter,
    @Inject(USER_SYNC_OPTIONS) options: UserSyncModuleOptions,
  ) {
    this.lastLoginIntervalMs = lastLoginInterval(options);
  }

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

  async resolve(snapshot: ConfigSnapshot, claimName: string, username: string): Promise<CachedOutcome> {
    const { outcome, user: first } = await this.decide(snapshot, snapshot.settings, claimName, username);
    if ('refusal' in outcome) {
      await this.writer.refused(null, username || null, outcome.refusal.code, outcome.refusal.reason);
      return LoginCache.refusal(new DomainError(outcome.refusal.code, outcome.refusal.reason));
    }
    const user = first!;
    const { groups } = outcome;
    if (lastLoginDue(user.lastLoginAt, this.lastLoginIntervalMs)) {
      await this.users.touchLastLogin(user.id, new Date());
    }
    return LoginCache.principal({
      username: user.username,
      groups,
      user: toPrincipalUser(user),
      directory: directoryRef(snapshot.directories.get(user.directoryId)),
    });
  }
}
