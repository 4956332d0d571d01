import { EventLoopUtilization, performance } from 'node:perf_hooks';

const SAMPLE_MS = 100;

/** The event loop's busy share over the last 100 ms, for choosing where to check a signature. */
export class EventLoopLoad {
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  private busy = 0;
  private readonly timer = setInterval(() => this.sample(), SAMPLE_MS).unref();

  get utilization(): number {
    return this.busy;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const now = performance.eventLoopUtilization();
    this.busy = performance.eventLoopUtilization(now, this.last).utilization;
    this.last = now;
  }
}
