import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, DeepPartial } from 'typeorm';
import { DirectoryEntity } from './directory.entity';
import { ScimClientEntity } from './scim-client.entity';
import { StoreTx } from './store-tx';

@Injectable()
export class ScimClientsStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(): Promise<ScimClientEntity[]> {
    return this.dataSource.manager.find(ScimClientEntity, { order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The client with this token, while its directory exists. */
  byTokenHash(tokenHash: string): Promise<ScimClientEntity | null> {
    return this.dataSource.manager
      .createQueryBuilder(ScimClientEntity, 'c')
      .innerJoin(DirectoryEntity, 'd', 'd.id = c.directory_id')
      .where('c.token_hash = :tokenHash', { tokenHash })
      .getOne();
  }

  /**
   * Whether the client and its directory still exist, read inside a write's transaction. On MySQL
   * the client's row is share-locked until the write commits, so a directory deletion (which
   * deletes the row first) waits for the write, or the write sees the row gone; SQLite runs one
   * writing transaction at a time.
   */
  async stillValid(tx: StoreTx, client: ScimClientEntity): Promise<boolean> {
    // LOCK IN SHARE MODE, which MySQL 8 and MariaDB both take (TypeORM writes FOR SHARE, which MariaDB 10 refuses).
    const lock = tx.connection.options.type === 'mysql' ? ' LOCK IN SHARE MODE' : '';
    const rows: unknown[] = await tx.query(
      `SELECT c.id FROM scim_clients c INNER JOIN directories d ON d.id = c.directory_id WHERE c.id = ? AND c.directory_id = ?${lock}`,
      [client.id, client.directoryId],
    );
    return rows.length > 0;
  }

  /** Deletes the directory's clients (their tokens stop working); returns what was deleted. */
  async deleteForDirectory(tx: StoreTx, directoryId: string): Promise<ScimClientEntity[]> {
    const clients = await tx.findBy(ScimClientEntity, { directoryId });
    if (clients.length > 0) await tx.delete(ScimClientEntity, { directoryId });
    return clients;
  }

  byId(id: string): Promise<ScimClientEntity | null> {
    return this.dataSource.manager.findOneBy(ScimClientEntity, { id });
  }

  insert(tx: StoreTx, fields: DeepPartial<ScimClientEntity>): Promise<ScimClientEntity> {
    return tx.save(tx.create(ScimClientEntity, fields));
  }

  async delete(tx: StoreTx, id: string): Promise<void> {
    await tx.delete(ScimClientEntity, { id });
  }
}
