import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlbSettingsEntity } from './alb-settings.entity';
import { StoreTx } from './store-tx';

/** The one row of ALB settings (id 1); absent until the first change. */
@Injectable()
export class SettingsStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  read(tx: StoreTx = this.dataSource.manager): Promise<AlbSettingsEntity | null> {
    return tx.findOneBy(AlbSettingsEntity, { id: 1 });
  }

  async write(tx: StoreTx, row: Omit<AlbSettingsEntity, 'id' | 'version' | 'updatedAt'>): Promise<void> {
    await tx.save(tx.create(AlbSettingsEntity, { ...row, id: 1 }));
  }
}
