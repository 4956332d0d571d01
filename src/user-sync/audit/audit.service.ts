import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Page } from '../../common/pagination/page-query.dto';
import { AuditEventEntity, AuditEventType } from './audit-event.entity';
import { AuditQueryDto } from './dto/audit-query.dto';

export interface AuditRecord {
  type: AuditEventType;
  actor: string;
  connectorId?: string | null;
  directoryId?: string | null;
  username?: string | null;
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  /** Writes an event in the caller's transaction. */
  async record(manager: EntityManager, record: AuditRecord): Promise<void> {
    await manager.insert(AuditEventEntity, {
      createdAt: new Date(),
      type: record.type,
      actor: record.actor.slice(0, 255),
      connectorId: record.connectorId ?? null,
      directoryId: record.directoryId ?? null,
      username: record.username ?? null,
      // simple-json column: TypeORM's deep-partial type cannot express an open record.
      details: (record.details ?? {}) as never,
    });
  }

  /** An admin change, audited as `config.changed` naming its actor (the caller also tells ConfigChanges). */
  async configChange(manager: EntityManager, actor: string, details: Record<string, unknown>, scope: Partial<AuditRecord> = {}): Promise<void> {
    await this.record(manager, { ...scope, type: 'config.changed', actor, details });
  }

  async list(query: AuditQueryDto): Promise<Page<AuditEventEntity>> {
    const where: Record<string, string> = {};
    if (query.username) where.username = query.username;
    if (query.connectorId) where.connectorId = query.connectorId;
    if (query.type) where.type = query.type;
    const [items, total] = await this.events.findAndCount({
      where,
      order: { id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total };
  }
}
