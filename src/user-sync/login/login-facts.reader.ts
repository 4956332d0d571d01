import { Injectable } from '@nestjs/common';
import { nameKey, primaryKeyHash, PrimaryKeyClaim, usernameSkeleton } from '../identity/identity-rules';
import { MappingResult } from '../mapping/mapping.types';
import { GroupEntity } from '../store/group.entity';
import { GroupsStore } from '../store/groups.store';
import { StoreTx } from '../store/store-tx';
import { UsersStore } from '../store/users.store';
import type { LoginFacts, PlannerConnector } from './login-planner';

/** A stored group, as a login grants it. */
export type StoredGroup = Pick<GroupEntity, 'id' | 'name' | 'nameKey'>;

/** The planner's facts, and the wanted groups as stored (what the writer grants by id). */
export interface LoadedLoginFacts extends LoginFacts {
  storedGroups: StoredGroup[];
}

/** Loads what a login may touch, for the planner: reads only (in `tx` when given). */
@Injectable()
export class LoginFactsReader {
  constructor(
    private readonly users: UsersStore,
    private readonly groups: GroupsStore,
  ) {}

  async load(connector: PlannerConnector & { directoryId: string }, mapped: MappingResult, primaryKey: PrimaryKeyClaim, tx?: StoreTx): Promise<LoadedLoginFacts> {
    const facts: LoadedLoginFacts = { byKey: null, byName: null, memberships: [], lookalikeIds: [], storedGroups: [] };
    const username = mapped.user.username;
    if (mapped.rejected || !username || !('value' in primaryKey)) return facts;
    const directoryId = connector.directoryId;
    // The groups the login may grant, by key (the planner decides which it does).
    const wantedKeys = new Set([...connector.groups.alwaysAssign, ...(mapped.groups ?? [])].map(nameKey));
    // Independent reads: on MySQL, outside a transaction, each takes its own pooled connection.
    const [users, storedGroups] = await Promise.all([
      this.users.byExternalIdHashOrUsernameKey(directoryId, primaryKeyHash(primaryKey.value), nameKey(username), tx),
      this.groups.byKeys(directoryId, [...wantedKeys], tx),
    ]);
    Object.assign(facts, users);
    facts.storedGroups = storedGroups;
    if (!connector.groups.createMissing) facts.existingGroupKeys = new Set(storedGroups.map((group) => group.nameKey));
    const userIds = [...new Set([facts.byKey?.id, facts.byName?.id].filter((id): id is string => id !== undefined))];
    facts.memberships = await this.groups.memberships(userIds, tx);
    if (connector.users.refuseLookalikeUsernames) {
      facts.lookalikeIds = await this.users.idsBySkeleton(directoryId, usernameSkeleton(username), 2, tx);
    }
    return facts;
  }
}
