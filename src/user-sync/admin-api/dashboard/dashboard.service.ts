import { Injectable } from '@nestjs/common';
import { LOGIN_ACTOR } from '../../login/login-writer.service';
import { BucketWidth, DashboardStore, sqlTime } from '../../store/dashboard.store';
import { DirectoriesStore } from '../../store/directories.store';
import { ActivityBucketView, DashboardView } from './dashboard.view';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const DASHBOARD_HOURS = 24;
export const DASHBOARD_DAYS = 14;
/** Refusals read to count them by code (their code is inside the event's details). */
export const MAX_REFUSALS_READ = 5_000;
const CLEANUP_RUNS = 10;

/** The dashboard's figures: each an aggregate the database computes over one window. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly store: DashboardStore,
    private readonly directories: DirectoriesStore,
  ) {}

  async get(now = new Date()): Promise<DashboardView> {
    const hourStart = now.getTime() - (now.getTime() % HOUR_MS);
    const dayStart = now.getTime() - (now.getTime() % DAY_MS);
    const hoursSince = new Date(hourStart - (DASHBOARD_HOURS - 1) * HOUR_MS);
    const daysSince = new Date(dayStart - (DASHBOARD_DAYS - 1) * DAY_MS);
    const series = async (width: BucketWidth, since: Date) => {
      const [signedIn, firstLogins, refusals] = await Promise.all([
        this.store.signedIn(width, since),
        this.store.events('user.created', width, since, LOGIN_ACTOR),
        this.store.events('login.refused', width, since),
      ]);
      return { signedIn, firstLogins, refusals };
    };
    const [hourly, daily, refusalDetails, sizes, directories, runs] = await Promise.all([
      series('hour', hoursSince),
      series('day', daysSince),
      this.store.newestDetails('login.refused', daysSince, MAX_REFUSALS_READ),
      this.store.directorySizes(),
      this.directories.all(),
      this.store.lastCleanupRuns(CLEANUP_RUNS),
    ]);
    const byCode = new Map<string, number>();
    for (const details of refusalDetails) {
      const code = typeof details.code === 'string' ? details.code : 'UNKNOWN';
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
    }
    return {
      generatedAt: now,
      hours: buckets(hourStart, HOUR_MS, DASHBOARD_HOURS, 13, hourly),
      days: buckets(dayStart, DAY_MS, DASHBOARD_DAYS, 10, daily),
      refusalsByCode: [...byCode].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
      refusalsRead: refusalDetails.length,
      directories: directories.map((directory) => ({ id: directory.id, name: directory.name, active: directory.active, ...(sizes.get(directory.id) ?? { users: 0, activeUsers: 0, groups: 0 }) })),
      cleanupRuns: runs.map(({ run, rule }) => ({ id: run.id, ruleId: run.ruleId, ruleName: rule?.name ?? null, directoryId: rule?.directoryId ?? null, trigger: run.trigger, startedAt: run.startedAt, affected: run.affected, error: run.error })),
    };
  }
}

/** `count` buckets ending with the one starting at `last`, oldest first, zeros where nothing happened. */
function buckets(last: number, width: number, count: number, labelLength: number, series: Record<'signedIn' | 'firstLogins' | 'refusals', Map<string, number>>): ActivityBucketView[] {
  return Array.from({ length: count }, (_, index) => {
    const bucket = sqlTime(new Date(last - (count - 1 - index) * width)).slice(0, labelLength);
    return { bucket, signedIn: series.signedIn.get(bucket) ?? 0, firstLogins: series.firstLogins.get(bucket) ?? 0, refusals: series.refusals.get(bucket) ?? 0 };
  });
}
