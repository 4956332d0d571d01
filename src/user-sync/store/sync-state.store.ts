import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StoreTx } from './store-tx';
import { SyncStateEntity } from './sync-state.entity';

/** The sync generation: one number every admin change raises and every instance polls. */
@Injectable()
export class SyncStateStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async generation(): Promise<number> {
    const row = await this.dataSource.manager.findOneBy(SyncStateEntity, { id: 1 });
    return row?.generation ?? 0;
  }

  async bump(tx: StoreTx): Promise<void> {
    const updated = await tx.increment(SyncStateEntity, { id: 1 }, 'generation', 1);
    if (!updated.affected) await tx.insert(SyncStateEntity, { id: 1, generation: 1 });
  }
}
