import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOperator, LessThan, MoreThanOrEqual, And } from 'typeorm';
import { EntityRows } from '../../database/entity-rows';
import { AuditEventEntity, AuditEventType } from './audit-event.entity';
import { StoreTx } from './store-tx';

export interface AuditRecord {
  type: AuditEventType;
  actor: string;
  connectorId?: string | null;
  directoryId?: string | null;
  username?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  username?: string;
  connectorId?: string;
  type?: AuditEventType;
  actor?: string;
  /** Events at or after this time. */
  since?: Date;
  /** Events before this time. */
  until?: Date;
}

@Injectable()
export class AuditStore {
  private eventRows?: EntityRows<AuditEventEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Writes an event in the caller's transaction. */
  record(tx: StoreTx, record: AuditRecord): Promise<void> {
    return this.recordAll(tx, [record]);
  }

  /** Writes events in the caller's transaction, in this order, with one statement. */
  async recordAll(tx: StoreTx, records: readonly AuditRecord[]): Promise<void> {
    const createdAt = new Date();
    this.eventRows ??= new EntityRows(this.dataSource, AuditEventEntity);
    await this.eventRows.insert(
      tx,
      records.map((record) => ({
        createdAt,
        type: record.type,
        actor: record.actor.slice(0, 255),
        connectorId: record.connectorId ?? null,
        directoryId: record.directoryId ?? null,
        username: record.username ?? null,
        details: record.details ?? {},
      })),
    );
  }

  /** An admin change, audited as `config.changed` naming its actor (the caller also tells ConfigChanges). */
  async configChange(tx: StoreTx, actor: string, details: Record<string, unknown>, scope: Partial<AuditRecord> = {}): Promise<void> {
    await this.record(tx, { ...scope, type: 'config.changed', actor, details });
  }

  /** Newest first. */
  page(filter: AuditFilter, limit: number, offset: number): Promise<[AuditEventEntity[], number]> {
    const where: Record<string, string | FindOperator<Date>> = {};
    if (filter.username) where.username = filter.username;
    if (filter.connectorId) where.connectorId = filter.connectorId;
    if (filter.type) where.type = filter.type;
    if (filter.actor) where.actor = filter.actor;
    const times = [filter.since && MoreThanOrEqual(filter.since), filter.until && LessThan(filter.until)].filter((op): op is FindOperator<Date> => !!op);
    if (times.length) where.createdAt = times.length === 2 ? And(...times) : times[0];
    return this.dataSource.manager.findAndCount(AuditEventEntity, { where, order: { id: 'DESC' }, take: limit, skip: offset });
  }
}
