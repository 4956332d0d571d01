import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import { EntityRows } from '../../database/entity-rows';
import { escapeLike } from '../../database/sql';
import { MembershipEntity } from './membership.entity';
import { StoreTx } from './store-tx';
import { UserEntity } from './user.entity';

export type NewUser = Omit<UserEntity, 'createdAt' | 'updatedAt'>;

@Injectable()
export class UsersStore {
  private usersRows?: EntityRows<UserEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get rows(): EntityRows<UserEntity> {
    return (this.usersRows ??= new EntityRows(this.dataSource, UserEntity));
  }

  /** A directory's users by username key; `searchKey` (a name key) matches inside username, display name or email. */
  page(directoryId: string, searchKey: string | undefined, limit: number, offset: number): Promise<[UserEntity[], number]> {
    const builder = this.dataSource.manager.createQueryBuilder(UserEntity, 'u').where('u.directory_id = :directoryId', { directoryId });
    if (searchKey) {
      builder.andWhere(
        `(u.username_key LIKE :search ESCAPE '!' OR LOWER(u.display_name) LIKE :search ESCAPE '!' OR LOWER(u.email) LIKE :search ESCAPE '!')`,
        { search: `%${escapeLike(searchKey)}%` },
      );
    }
    return builder.orderBy('u.username_key', 'ASC').take(limit).skip(offset).getManyAndCount();
  }

  /** Exactly this key: MySQL's binary collation would also match it with trailing spaces. */
  async byUsernameKey(directoryId: string, usernameKey: string, tx: StoreTx = this.dataSource.manager): Promise<UserEntity | null> {
    const users = await this.rows.select(tx, 'directory_id = ? AND username_key = ?', [directoryId, usernameKey]);
    return users.find((user) => user.usernameKey === usernameKey) ?? null;
  }

  /** The user bound to this primary key (by its hash, which the unique index compares). */
  async byExternalIdHash(directoryId: string, externalIdHash: string, tx: StoreTx = this.dataSource.manager): Promise<UserEntity | null> {
    const users = await this.rows.select(tx, 'directory_id = ? AND external_id_hash = ?', [directoryId, externalIdHash]);
    return users.find((user) => user.externalIdHash === externalIdHash) ?? null;
  }

  /** Both of the above (often one user), in one statement: what a login looks up. */
  async byExternalIdHashOrUsernameKey(
    directoryId: string,
    externalIdHash: string,
    usernameKey: string,
    tx: StoreTx = this.dataSource.manager,
  ): Promise<{ byKey: UserEntity | null; byName: UserEntity | null }> {
    const users = await this.rows.selectAny(tx, [
      ['directory_id = ? AND external_id_hash = ?', [directoryId, externalIdHash]],
      ['directory_id = ? AND username_key = ?', [directoryId, usernameKey]],
    ]);
    return {
      byKey: users.find((user) => user.externalIdHash === externalIdHash) ?? null,
      byName: users.find((user) => user.usernameKey === usernameKey) ?? null,
    };
  }

  /** Users with this username key in any of these directories. */
  byUsernameKeyIn(directoryIds: string[], usernameKey: string, tx: StoreTx = this.dataSource.manager): Promise<UserEntity[]> {
    if (directoryIds.length === 0) return Promise.resolve([]);
    return tx.findBy(UserEntity, { usernameKey, directoryId: In(directoryIds) });
  }

  /** Ids of up to `limit` users whose username has this skeleton. */
  async idsBySkeleton(directoryId: string, usernameSkeleton: string, limit: number, tx: StoreTx = this.dataSource.manager): Promise<string[]> {
    const users = await tx.find(UserEntity, { select: { id: true }, where: { directoryId, usernameSkeleton }, take: limit });
    return users.map((user) => user.id);
  }

  async insert(tx: StoreTx, user: NewUser): Promise<void> {
    await this.rows.insert(tx, [user]);
  }

  /**
   * Updates the user; with `onlyIfUnbound`, only while it has no primary key yet (a concurrent
   * login may have bound it). Returns whether a row was updated.
   */
  async update(tx: StoreTx, id: string, fields: Partial<UserEntity>, onlyIfUnbound = false): Promise<boolean> {
    const changes = fields.active === true && fields.scimDeletedAt === undefined ? { ...fields, scimDeletedAt: null } : fields;
    const updated = await tx.update(UserEntity, onlyIfUnbound ? { id, externalId: IsNull() } : { id }, changes);
    return updated.affected !== 0;
  }

  async byId(directoryId: string, id: string, tx: StoreTx = this.dataSource.manager): Promise<UserEntity | null> {
    return tx.findOneBy(UserEntity, { directoryId, id });
  }

  /** A directory's users in a stable order, for a scan bounded by the caller. */
  inDirectory(directoryId: string, limit: number, offset = 0): Promise<[UserEntity[], number]> {
    return this.dataSource.manager.findAndCount(UserEntity, { where: { directoryId }, order: { usernameKey: 'ASC' }, take: limit, skip: offset });
  }

  /** Users per directory and their latest login. */
  async statsByDirectory(directoryIds: string[]): Promise<Map<string, { users: number; lastLoginAt: Date | null }>> {
    const stats = new Map<string, { users: number; lastLoginAt: Date | null }>();
    if (directoryIds.length === 0) return stats;
    const rows = await this.dataSource.manager
      .createQueryBuilder(UserEntity, 'u')
      .select(['u.directory_id AS directoryId', 'COUNT(*) AS users', 'MAX(u.last_login_at) AS lastLoginAt'])
      .where('u.directory_id IN (:...directoryIds)', { directoryIds })
      .groupBy('u.directory_id')
      .getRawMany<{ directoryId: string; users: number | string; lastLoginAt: Date | string | null }>();
    for (const row of rows) {
      // SQLite answers MAX() of a datetime as text in UTC; MySQL as a Date.
      const last = row.lastLoginAt === null ? null : row.lastLoginAt instanceof Date ? row.lastLoginAt : new Date(`${row.lastLoginAt.replace(' ', 'T')}Z`);
      stats.set(row.directoryId, { users: Number(row.users), lastLoginAt: last });
    }
    return stats;
  }

  /** Active users of a directory not seen since `cutoff` (never logged in: since creation), least recently seen first. */
  inactiveSince(directoryId: string, cutoff: Date, limit: number, offset: number): Promise<UserEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(UserEntity, 'u')
      .where({ directoryId, active: true })
      .andWhere('COALESCE(u.last_login_at, u.created_at) < :cutoff', { cutoff })
      .orderBy('COALESCE(u.last_login_at, u.created_at)', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .take(limit)
      .skip(offset)
      .getMany();
  }

  async touchLastLogin(id: string, at: Date, tx?: StoreTx): Promise<void> {
    await (tx ?? this.dataSource.manager).update(UserEntity, { id }, { lastLoginAt: at });
  }

  /** Deletes the user and its memberships. */
  async delete(tx: StoreTx, id: string): Promise<void> {
    await tx.delete(MembershipEntity, { userId: id });
    await tx.delete(UserEntity, { id });
  }
}
