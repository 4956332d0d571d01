import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DashboardStore } from '../store/dashboard.store';

const HOUR_MS = 3_600_000;
/** How long who signed in when is kept: the dashboard shows 14 days. */
const KEPT_MS = 15 * 24 * HOUR_MS;
/** New sign-ins are written together, this long after the first of them. */
const FLUSH_AFTER_MS = 5_000;

/**
 * Who signed in during each hour, for the dashboard: each user once an hour per instance, written in
 * batches off the request's path (a login never waits for it, and a failed write only loses a
 * statistic). The table's key dedupes across instances.
 */
@Injectable()
export class SignInActivity implements OnApplicationShutdown {
  private readonly logger = new Logger(SignInActivity.name);
  private hour = 0;
  private seenThisHour = new Set<string>();
  private readonly pending = new Map<number, string[]>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private prunedHour = 0;

  constructor(private readonly store: DashboardStore) {}

  saw(userId: string, now = Date.now()): void {
    const hour = now - (now % HOUR_MS);
    if (hour !== this.hour) {
      this.hour = hour;
      this.seenThisHour = new Set();
    }
    if (this.seenThisHour.has(userId)) return;
    this.seenThisHour.add(userId);
    const users = this.pending.get(hour) ?? this.pending.set(hour, []).get(hour)!;
    users.push(userId);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS).unref();
  }

  /** Writes what is pending (tests and shutdown call it; the timer otherwise). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batches = [...this.pending];
    this.pending.clear();
    this.flushing = this.flushing.then(() => this.write(batches));
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(batches: Array<[number, string[]]>): Promise<void> {
    try {
      for (const [hour, userIds] of batches) {
        for (let start = 0; start < userIds.length; start += 500) await this.store.recordActivity(new Date(hour), userIds.slice(start, start + 500));
      }
      if (this.hour !== this.prunedHour) {
        this.prunedHour = this.hour;
        await this.store.pruneActivity(new Date(this.hour - KEPT_MS));
      }
    } catch (error) {
      this.logger.warn(`Sign-in activity not recorded: ${(error as Error).message}`);
    }
  }
}
