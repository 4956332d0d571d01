import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { EntityRows } from '../../database/entity-rows';
import { ConcurrentChangeError } from '../../database/concurrent-change.error';
import { escapeLike } from '../../database/sql';
import { compareNames, nameKey } from '../identity/identity-rules';
import { DirectoryEntity } from './directory.entity';
import { GroupEntity } from './group.entity';
import { MANUAL_ORIGIN, MembershipEntity } from './membership.entity';
import { saveUnique, StoreTx } from './store-tx';
import { UserEntity } from './user.entity';

/** One grant of a group to a user, with the group's name: `origin` is a connector id or `manual`. */
export interface MembershipRow {
  userId: string;
  origin: string;
  name: string;
  nameKey: string;
}

/** Groups and the memberships that grant them. */
@Injectable()
export class GroupsStore {
  private groupRows?: EntityRows<GroupEntity>;
  private membershipRows?: EntityRows<MembershipEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get groupsTable(): EntityRows<GroupEntity> {
    return (this.groupRows ??= new EntityRows(this.dataSource, GroupEntity));
  }

  private get membershipsTable(): EntityRows<MembershipEntity> {
    return (this.membershipRows ??= new EntityRows(this.dataSource, MembershipEntity));
  }

  /** A directory's groups by name key; `search` matches inside the key (already a name key). */
  page(directoryId: string, searchKey: string | undefined, limit: number, offset: number): Promise<[GroupEntity[], number]> {
    const builder = this.dataSource.manager.createQueryBuilder(GroupEntity, 'g').where('g.directory_id = :directoryId', { directoryId });
    if (searchKey) builder.andWhere(`g.name_key LIKE :search ESCAPE '!'`, { search: `%${escapeLike(searchKey)}%` });
    return builder.orderBy('g.name_key', 'ASC').take(limit).skip(offset).getManyAndCount();
  }

  /** Exactly this key: MySQL's binary collation would also match it with trailing spaces. */
  async byKey(directoryId: string, key: string, tx: StoreTx = this.dataSource.manager): Promise<GroupEntity | null> {
    const group = await tx.findOneBy(GroupEntity, { directoryId, nameKey: key });
    return group && group.nameKey === key ? group : null;
  }

  byKeys(directoryId: string, keys: string[], tx: StoreTx = this.dataSource.manager): Promise<GroupEntity[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.groupsTable.select(tx, `directory_id = ? AND name_key IN (${keys.map(() => '?').join(', ')})`, [directoryId, ...keys]);
  }

  keyTaken(directoryId: string, key: string, tx: StoreTx = this.dataSource.manager): Promise<boolean> {
    return tx.existsBy(GroupEntity, { directoryId, nameKey: key });
  }

  insert(tx: StoreTx, directoryId: string, name: string, conflict: string): Promise<GroupEntity> {
    return saveUnique(tx, tx.create(GroupEntity, { directoryId, name, nameKey: nameKey(name) }), conflict);
  }

  /** Deletes the group and every grant of it. */
  async delete(tx: StoreTx, groupId: string): Promise<void> {
    await tx.delete(MembershipEntity, { groupId });
    await tx.delete(GroupEntity, { id: groupId });
  }

  /**
   * The groups with these names in a directory, created when missing if `create`. `stored`: these
   * groups as the caller read them (in this transaction, or just before a new user's), so that a
   * name not among them is missing; without it they are read here.
   */
  async resolve(tx: StoreTx, directoryId: string, names: string[], create: boolean, stored?: ReadonlyArray<Pick<GroupEntity, 'id' | 'name' | 'nameKey'>>): Promise<Array<Pick<GroupEntity, 'id' | 'name' | 'nameKey'>>> {
    const keys = [...new Set(names.map(nameKey))];
    const wanted = new Set(keys);
    const found = stored ? stored.filter((group) => wanted.has(group.nameKey)) : await this.byKeys(directoryId, keys, tx);
    if (!create) return found;
    const have = new Set(found.map((group) => group.nameKey));
    const created: Array<Pick<GroupEntity, 'id' | 'directoryId' | 'name' | 'nameKey'>> = [];
    for (const name of names) {
      const key = nameKey(name);
      if (have.has(key)) continue;
      have.add(key);
      created.push({ id: randomUUID(), directoryId, name, nameKey: key });
    }
    // A concurrent creation fails this insert: the caller's transaction is retried on a fresh snapshot.
    await this.groupsTable.insert(tx, created);
    return created.length ? [...found, ...created] : found;
  }

  /** Group names of each user, sorted. */
  async namesByUser(userIds: string[], tx: StoreTx = this.dataSource.manager): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return result;
    const rows = await tx
      .createQueryBuilder(MembershipEntity, 'm')
      .innerJoin(GroupEntity, 'g', 'g.id = m.group_id')
      .select(['m.user_id AS userId', 'g.id AS groupId', 'g.name AS name'])
      .where('m.user_id IN (:...userIds)', { userIds })
      .getRawMany<{ userId: string; groupId: string; name: string }>();
    // Deduplicated here by group id (a group may be granted by several origins): a SQL DISTINCT
    // on the name would merge café and cafe under MySQL's case- and accent-insensitive collation.
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(`${row.userId}/${row.groupId}`)) continue;
      seen.add(`${row.userId}/${row.groupId}`);
      result.get(row.userId)?.push(row.name);
    }
    for (const names of result.values()) names.sort(compareNames);
    return result;
  }

  async byId(directoryId: string, id: string, tx: StoreTx = this.dataSource.manager): Promise<GroupEntity | null> {
    return tx.findOneBy(GroupEntity, { directoryId, id });
  }

  /** A directory's groups in a stable order, for a scan bounded by the caller. */
  inDirectory(directoryId: string, limit: number, offset = 0): Promise<[GroupEntity[], number]> {
    return this.dataSource.manager.findAndCount(GroupEntity, { where: { directoryId }, order: { nameKey: 'ASC' }, take: limit, skip: offset });
  }

  async rename(tx: StoreTx, id: string, name: string): Promise<void> {
    await tx.update(GroupEntity, { id }, { name, nameKey: nameKey(name) });
  }

  /** The users one origin granted this group, with their usernames. */
  membersByOrigin(groupId: string, origin: string, tx: StoreTx = this.dataSource.manager): Promise<Array<{ userId: string; username: string }>> {
    return tx
      .createQueryBuilder(MembershipEntity, 'm')
      .innerJoin(UserEntity, 'u', 'u.id = m.user_id')
      .select(['m.user_id AS userId', 'u.username AS username'])
      .where('m.group_id = :groupId AND m.origin = :origin', { groupId, origin })
      .orderBy('u.username_key', 'ASC')
      .getRawMany<{ userId: string; username: string }>();
  }

  async grantToUsers(tx: StoreTx, groupId: string, userIds: string[], origin: string): Promise<void> {
    await this.membershipsTable.insert(tx, userIds.map((userId) => ({ userId, groupId, origin })));
  }

  async revokeFromUsers(tx: StoreTx, groupId: string, userIds: string[], origin: string): Promise<void> {
    if (userIds.length) await tx.delete(MembershipEntity, { groupId, origin, userId: In(userIds) });
  }

  /**
   * Active users of active directories holding one of these groups (by name key) from one of these
   * origins, with their directory: who signs in with those groups. `lock` (MySQL) locks those
   * grants until the transaction ends, so two changes that each remove an admin run one after the
   * other and the second sees the first (SQLite runs one writing transaction at a time).
   */
  async holders(
    groupKeys: string[],
    origins: string[],
    filter: { directoryId?: string | null; excludeGroupIds?: string[]; excludeManualOf?: string[]; lock?: boolean } = {},
    tx: StoreTx = this.dataSource.manager,
  ): Promise<Array<{ userId: string; directoryId: string }>> {
    if (groupKeys.length === 0 || origins.length === 0) return [];
    const query = tx
      .createQueryBuilder(MembershipEntity, 'm')
      .innerJoin(GroupEntity, 'g', 'g.id = m.group_id')
      .innerJoin(UserEntity, 'u', 'u.id = m.user_id')
      .innerJoin(DirectoryEntity, 'd', 'd.id = u.directory_id')
      .select('u.id', 'userId')
      .addSelect('u.directory_id', 'directoryId')
      .where('g.name_key IN (:...groupKeys) AND m.origin IN (:...origins) AND u.active = 1 AND d.active = 1', { groupKeys, origins });
    if (filter.directoryId) query.andWhere('u.directory_id = :directoryId', { directoryId: filter.directoryId });
    if (filter.excludeGroupIds?.length) query.andWhere('m.group_id NOT IN (:...excludeGroupIds)', { excludeGroupIds: filter.excludeGroupIds });
    if (filter.excludeManualOf?.length) query.andWhere(`NOT (m.origin = '${MANUAL_ORIGIN}' AND m.user_id IN (:...excludeManualOf))`, { excludeManualOf: filter.excludeManualOf });
    if (filter.lock && tx.connection.options.type === 'mysql') query.setLock('pessimistic_write');
    const rows = await query.getRawMany<{ userId: string; directoryId: string }>();
    const seen = new Set<string>();
    return rows.filter((row) => !seen.has(row.userId) && seen.add(row.userId));
  }

  /** Takes back every grant of one origin to this user. */
  async revokeAllFromUser(tx: StoreTx, userId: string, origin: string): Promise<void> {
    await tx.delete(MembershipEntity, { userId, origin });
  }

  async membershipCount(groupId: string, tx: StoreTx = this.dataSource.manager): Promise<number> {
    return tx.countBy(MembershipEntity, { groupId });
  }

  /** Members of each group (a user granted a group by several origins counts once). */
  async memberCounts(groupIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(groupIds.map((id) => [id, 0]));
    if (groupIds.length === 0) return counts;
    const rows = await this.dataSource.manager
      .createQueryBuilder(MembershipEntity, 'm')
      .select(['m.group_id AS groupId', 'COUNT(DISTINCT m.user_id) AS members'])
      .where('m.group_id IN (:...groupIds)', { groupIds })
      .groupBy('m.group_id')
      .getRawMany<{ groupId: string; members: number | string }>();
    for (const row of rows) counts.set(row.groupId, Number(row.members));
    return counts;
  }

  /** Every grant held by these users, with its origin. */
  memberships(userIds: string[], tx: StoreTx = this.dataSource.manager): Promise<MembershipRow[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    const [m, g] = [this.membershipsTable.table, this.groupsTable.table];
    return tx.query(
      `SELECT m.user_id AS userId, m.origin AS origin, g.name AS name, g.name_key AS nameKey FROM ${m} m INNER JOIN ${g} g ON g.id = m.group_id WHERE m.user_id IN (${userIds.map(() => '?').join(', ')})`,
      userIds,
    );
  }

  /** Replaces the user's hand-made grants with these groups. */
  async replaceManual(tx: StoreTx, userId: string, groupIds: string[]): Promise<void> {
    await tx.delete(MembershipEntity, { userId, origin: MANUAL_ORIGIN });
    await this.membershipsTable.insert(tx, groupIds.map((groupId) => ({ userId, groupId, origin: MANUAL_ORIGIN })));
  }

  /**
   * Grants these groups of the directory; each must still exist when the grant is written (they
   * may have been read before the transaction, or without a lock): a group deleted since fails it
   * with ConcurrentChangeError, which the caller's retry sees on a fresh read.
   */
  async grant(tx: StoreTx, directoryId: string, userId: string, groupIds: string[], origin: string): Promise<void> {
    if (groupIds.length === 0) return;
    const [m, g] = [this.membershipsTable, this.groupsTable];
    const granted = await m.execute(
      tx,
      `INSERT INTO ${m.table} (user_id, group_id, origin) SELECT ?, id, ? FROM ${g.table} WHERE directory_id = ? AND id IN (${groupIds.map(() => '?').join(', ')})`,
      [userId, origin, directoryId, ...groupIds],
    );
    if (granted !== new Set(groupIds).size) throw new ConcurrentChangeError('a granted group');
  }

  /** Removes this origin's grants of the named groups (other origins' grants stay). */
  async revoke(tx: StoreTx, userId: string, directoryId: string, groupKeys: string[], origin: string): Promise<void> {
    const groups = await this.byKeys(directoryId, groupKeys, tx);
    if (groups.length) await tx.delete(MembershipEntity, { userId, origin, groupId: In(groups.map((group) => group.id)) });
  }
}
