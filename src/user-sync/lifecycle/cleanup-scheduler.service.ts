import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CleanupStore } from '../store/cleanup.store';
import { USER_SYNC_OPTIONS, UserSyncModuleOptions } from '../user-sync.options';
import { latestSlot } from './cleanup-rule';
import { CleanupService } from './cleanup.service';

/**
 * Every `cleanupTickMs` (30 s by default), runs each scheduled rule whose cron time fell since the
 * last tick. Every instance ticks; the database lease (one run per rule and slot) lets only one run it.
 * A timer of its own, not @nestjs/schedule: registering ScheduleModule.forRoot() here would give a
 * host that imports it too a second scheduler, and every one of its jobs twice.
 */
@Injectable()
export class CleanupScheduler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CleanupScheduler.name);
  private readonly tickMs: number;
  private lastTick = new Date();
  private ticking = false;
  private current: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  /** Slots this instance ran, and those another instance had claimed first (for tests and metrics). */
  readonly slots = { ran: 0, claimedElsewhere: 0 };

  constructor(
    private readonly store: CleanupStore,
    private readonly cleanup: CleanupService,
    @Inject(USER_SYNC_OPTIONS) options: UserSyncModuleOptions,
  ) {
    this.tickMs = options.cleanupTickMs ?? 30_000;
  }

  onModuleInit(): void {
    this.lastTick = new Date();
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Resolves once no tick is under way (a tick that started before a rule change has recorded and counted its runs). */
  async idle(): Promise<void> {
    await this.current;
  }

  tick(now = new Date()): Promise<void> {
    if (this.ticking) return this.current;
    this.current = this.runTick(now);
    return this.current;
  }

  private async runTick(now: Date): Promise<void> {
    this.ticking = true;
    const from = this.lastTick;
    this.lastTick = now;
    try {
      for (const rule of await this.store.scheduledRules()) {
        const slot = latestSlot(rule.schedule as string, from, now);
        if (!slot) continue;
        const outcome = await this.cleanup.run(rule, 'schedule', slot.toISOString()).catch((error: Error) => {
          this.logger.error(`Scheduled cleanup ${rule.id} failed: ${error.message}`);
          return undefined;
        });
        if (outcome === null) this.slots.claimedElsewhere++;
        else this.slots.ran++;
      }
    } catch (error) {
      // The database being down shows on /health; the next tick tries again.
      this.logger.warn(`Cleanup tick failed: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }
}
