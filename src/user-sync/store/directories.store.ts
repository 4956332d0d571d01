import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConnectorEntity } from './connector.entity';
import { DirectoryEntity } from './directory.entity';
import { GroupEntity } from './group.entity';
import { MembershipEntity } from './membership.entity';
import { saveUnique, StoreTx } from './store-tx';
import { UserEntity } from './user.entity';

export type NewDirectory = Pick<DirectoryEntity, 'name' | 'nameKey' | 'description' | 'active' | 'position'>;

@Injectable()
export class DirectoriesStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  page(limit: number, offset: number): Promise<[DirectoryEntity[], number]> {
    return this.dataSource.manager.findAndCount(DirectoryEntity, { order: { position: 'ASC', nameKey: 'ASC' }, take: limit, skip: offset });
  }

  /** Every directory in `position` order. */
  all(): Promise<DirectoryEntity[]> {
    return this.dataSource.manager.find(DirectoryEntity, { order: { position: 'ASC', nameKey: 'ASC' } });
  }

  byId(id: string, tx: StoreTx = this.dataSource.manager): Promise<DirectoryEntity | null> {
    return tx.findOneBy(DirectoryEntity, { id });
  }

  nameKeyTaken(nameKey: string, tx: StoreTx = this.dataSource.manager): Promise<boolean> {
    return tx.existsBy(DirectoryEntity, { nameKey });
  }

  async nextPosition(tx: StoreTx = this.dataSource.manager): Promise<number> {
    const last = await tx.createQueryBuilder(DirectoryEntity, 'd').select('MAX(d.position)', 'max').getRawOne<{ max: number | null }>();
    return (Number(last?.max ?? -1) || 0) + 1;
  }

  insert(tx: StoreTx, fields: NewDirectory, conflict: string): Promise<DirectoryEntity> {
    return saveUnique(tx, tx.create(DirectoryEntity, fields), conflict);
  }

  save(tx: StoreTx, directory: DirectoryEntity, conflict: string): Promise<DirectoryEntity> {
    return saveUnique(tx, directory, conflict);
  }

  /** A connector writing into this directory, if any. */
  connectorUsing(directoryId: string, tx: StoreTx = this.dataSource.manager): Promise<ConnectorEntity | null> {
    return tx.findOneBy(ConnectorEntity, { directoryId });
  }

  /** Deletes the directory with its users, groups and memberships. */
  async deleteWithContents(tx: StoreTx, id: string): Promise<void> {
    const userIds = tx.createQueryBuilder(UserEntity, 'u').select('u.id').where('u.directory_id = :id', { id });
    await tx
      .createQueryBuilder()
      .delete()
      .from(MembershipEntity)
      .where(`user_id IN (${userIds.getQuery()})`, userIds.getParameters())
      .execute();
    await tx.delete(UserEntity, { directoryId: id });
    await tx.delete(GroupEntity, { directoryId: id });
    await tx.delete(DirectoryEntity, { id });
  }
}
