import { Injectable } from '@nestjs/common';
import { nameKey, primaryKeyHash, PrimaryKeyClaim, usernameSkeleton } from '../identity/identity-rules';
import { MappingResult } from '../mapping/mapping.types';
import { GroupsStore } from '../store/groups.store';
import { StoreTx } from '../store/store-tx';
import { UsersStore } from '../store/users.store';
import { LoginFacts, PlannerConnector, wantedGroups } from './login-planner';

/** Loads what a login may touch, for the planner: reads only (in `tx` when given). */
@Injectable()
export class LoginFactsReader {
  constructor(
    private readonly users: UsersStore,
    private readonly groups: GroupsStore,
  ) {}

  async load(connector: PlannerConnector & { directoryId: string }, mapped: MappingResult, primaryKey: PrimaryKeyClaim, tx?: StoreTx): Promise<LoginFacts> {
    const facts: LoginFacts = { byKey: null, byName: null, memberships: [], lookalikeIds: [] };
    const username = mapped.user.username;
    if (mapped.rejected || !username || !('value' in primaryKey)) return facts;
    const directoryId = connector.directoryId;
    Object.assign(facts, await this.users.byExternalIdHashOrUsernameKey(directoryId, primaryKeyHash(primaryKey.value), nameKey(username), tx));
    const userIds = [...new Set([facts.byKey?.id, facts.byName?.id].filter((id): id is string => id !== undefined))];
    facts.memberships = await this.groups.memberships(userIds, tx);
    const wanted = wantedGroups(connector, mapped);
    if (!connector.groups.createMissing && wanted.size) {
      const present = await this.groups.byKeys(directoryId, [...wanted.keys()], tx);
      facts.existingGroupKeys = new Set(present.map((group) => group.nameKey));
    }
    if (connector.users.refuseLookalikeUsernames) {
      facts.lookalikeIds = await this.users.idsBySkeleton(directoryId, usernameSkeleton(username), 2, tx);
    }
    return facts;
  }
}
