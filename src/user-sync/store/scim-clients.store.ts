import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, DeepPartial } from 'typeorm';
import { ScimClientEntity } from './scim-client.entity';
import { StoreTx } from './store-tx';

@Injectable()
export class ScimClientsStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(): Promise<ScimClientEntity[]> {
    return this.dataSource.manager.find(ScimClientEntity, { order: { createdAt: 'ASC', id: 'ASC' } });
  }

  byTokenHash(tokenHash: string): Promise<ScimClientEntity | null> {
    return this.dataSource.manager.findOneBy(ScimClientEntity, { tokenHash });
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
