import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThanOrEqual } from 'typeorm';
import { AuditEventEntity, AuditEventType } from './audit-event.entity';
import { CleanupRuleEntity } from './cleanup-rule.entity';
import { CleanupRunEntity } from './cleanup-run.entity';
import { GroupEntity } from './group.entity';
import { UserActivityEntity } from './user-activity.entity';
import { UserEntity } from './user.entity';

/** A bucket's label: `YYYY-MM-DD HH` (an hour, UTC) or `YYYY-MM-DD` (a day). */
export type BucketWidth = 'hour' | 'day';
/** How many leading characters of a stored UTC datetime name its hour or day (the same text on SQLite and MySQL). */
const PREFIX: Record<BucketWidth, number> = { hour: 13, day: 10 };

/** A stored datetime's text (UTC): what both databases compare a datetime column with. */
export function sqlTime(time: Date): string {
  return time.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The dashboard's counts, each one aggregated by the database over an index (a window of time, a
 * type), so that the answer's size is the number of buckets, not of rows.
 */
@Injectable()
export class DashboardStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Notes that these users signed in during the hour starting at `hour`; a row already there stays. */
  async recordActivity(hour: Date, userIds: readonly string[]): Promise<void> {
    if (!userIds.length) return;
    await this.dataSource.createQueryBuilder().insert().into(UserActivityEntity).values(userIds.map((userId) => ({ hour, userId }))).orIgnore().execute();
  }

  async pruneActivity(before: Date): Promise<void> {
    await this.dataSource.manager.delete(UserActivityEntity, { hour: LessThan(before) });
  }

  /** Distinct users signed in per bucket since `since`. */
  async signedIn(width: BucketWidth, since: Date): Promise<Map<string, number>> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .select(`SUBSTR(activity.hour, 1, ${PREFIX[width]})`, 'bucket')
      .addSelect('COUNT(DISTINCT activity.user_id)', 'count')
      .from(UserActivityEntity, 'activity')
      .where('activity.hour >= :since', { since: sqlTime(since) })
      .groupBy('bucket')
      .getRawMany<{ bucket: string; count: string | number }>();
    return counts(rows);
  }

  /** Audit events of one type (and actor) per bucket since `since`. */
  async events(type: AuditEventType, width: BucketWidth, since: Date, actor?: string): Promise<Map<string, number>> {
    const query = this.dataSource
      .createQueryBuilder()
      .select(`SUBSTR(event.created_at, 1, ${PREFIX[width]})`, 'bucket')
      .addSelect('COUNT(*)', 'count')
      .from(AuditEventEntity, 'event')
      .where('event.type = :type', { type })
      .andWhere('event.created_at >= :since', { since: sqlTime(since) });
    if (actor !== undefined) query.andWhere('event.actor = :actor', { actor });
    return counts(await query.groupBy('bucket').getRawMany<{ bucket: string; count: string | number }>());
  }

  /** The details of the newest events of one type since `since`, at most `limit` of them. */
  async newestDetails(type: AuditEventType, since: Date, limit: number): Promise<Array<Record<string, unknown>>> {
    const rows = await this.dataSource.manager.find(AuditEventEntity, {
      select: { id: true, details: true },
      where: { type, createdAt: MoreThanOrEqual(since) },
      order: { id: 'DESC' },
      take: limit,
    });
    return rows.map((row) => row.details);
  }

  /** Users (all, active) and groups per directory. */
  async directorySizes(): Promise<Map<string, { users: number; activeUsers: number; groups: number }>> {
    const users = await this.dataSource
      .createQueryBuilder()
      .select('user.directory_id', 'directoryId')
      .addSelect('COUNT(*)', 'users')
      .addSelect('SUM(CASE WHEN user.active THEN 1 ELSE 0 END)', 'active')
      .from(UserEntity, 'user')
      .groupBy('user.directory_id')
      .getRawMany<{ directoryId: string; users: string | number; active: string | number }>();
    const groups = await this.dataSource
      .createQueryBuilder()
      .select('grp.directory_id', 'directoryId')
      .addSelect('COUNT(*)', 'groups')
      .from(GroupEntity, 'grp')
      .groupBy('grp.directory_id')
      .getRawMany<{ directoryId: string; groups: string | number }>();
    const sizes = new Map<string, { users: number; activeUsers: number; groups: number }>();
    const of = (id: string) => sizes.get(id) ?? sizes.set(id, { users: 0, activeUsers: 0, groups: 0 }).get(id)!;
    for (const row of users) Object.assign(of(row.directoryId), { users: Number(row.users), activeUsers: Number(row.active ?? 0) });
    for (const row of groups) of(row.directoryId).groups = Number(row.groups);
    return sizes;
  }

  /** The newest cleanup runs, with their rules. */
  async lastCleanupRuns(limit: number): Promise<Array<{ run: CleanupRunEntity; rule: CleanupRuleEntity | null }>> {
    const runs = await this.dataSource.manager.find(CleanupRunEntity, { order: { startedAt: 'DESC', id: 'ASC' }, take: limit });
    const ruleIds = [...new Set(runs.map((run) => run.ruleId))];
    const rules = ruleIds.length ? await this.dataSource.manager.findBy(CleanupRuleEntity, ruleIds.map((id) => ({ id }))) : [];
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    return runs.map((run) => ({ run, rule: byId.get(run.ruleId) ?? null }));
  }
}

function counts(rows: Array<{ bucket: string; count: string | number }>): Map<string, number> {
  return new Map(rows.map((row) => [String(row.bucket), Number(row.count)]));
}
