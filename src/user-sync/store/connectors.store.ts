import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, DeepPartial } from 'typeorm';
import { ConnectorEntity } from './connector.entity';
import { MembershipEntity } from './membership.entity';
import { saveUnique, StoreTx } from './store-tx';

@Injectable()
export class ConnectorsStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  page(limit: number, offset: number): Promise<[ConnectorEntity[], number]> {
    return this.dataSource.manager.findAndCount(ConnectorEntity, { order: { nameKey: 'ASC' }, take: limit, skip: offset });
  }

  byId(id: string, tx: StoreTx = this.dataSource.manager): Promise<ConnectorEntity | null> {
    return tx.findOneBy(ConnectorEntity, { id });
  }

  exists(id: string, tx: StoreTx = this.dataSource.manager): Promise<boolean> {
    return tx.existsBy(ConnectorEntity, { id });
  }

  nameKeyTaken(nameKey: string, tx: StoreTx = this.dataSource.manager): Promise<boolean> {
    return tx.existsBy(ConnectorEntity, { nameKey });
  }

  insert(tx: StoreTx, fields: DeepPartial<ConnectorEntity>, conflict: string): Promise<ConnectorEntity> {
    return saveUnique(tx, tx.create(ConnectorEntity, fields), conflict);
  }

  save(tx: StoreTx, connector: ConnectorEntity, conflict: string): Promise<ConnectorEntity> {
    return saveUnique(tx, connector, conflict);
  }

  /** Ids of the connectors allowed to grant protected groups from claims (groups.allowProtectedGroups). */
  async idsGrantingProtected(tx: StoreTx = this.dataSource.manager): Promise<string[]> {
    const all = await tx.find(ConnectorEntity, { select: { id: true, groups: true } });
    return all.filter((connector) => connector.groups?.allowProtectedGroups === true).map((connector) => connector.id);
  }

  /** Deletes the connector and the group grants it made. */
  async delete(tx: StoreTx, id: string): Promise<void> {
    await tx.delete(MembershipEntity, { origin: id });
    await tx.delete(ConnectorEntity, { id });
  }
}
