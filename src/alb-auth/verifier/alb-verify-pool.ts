import { Logger } from '@nestjs/common';
import type { JwkWithKid } from 'aws-jwt-verify/jwk';
import type { Worker } from 'node:worker_threads';
import { metrics } from '../../common/metrics';
import { startThread } from '../../common/threads/start-thread';
import type { VerifyFailure } from './alb-verify-errors';

export interface VerifyThreadSettings {
  arns: string[];
  issuer: string;
  clientIds: string[] | null;
  keyEndpoint: string;
  graceSeconds: number;
}

export interface VerifyJob {
  id: number;
  token: string;
  jwk: JwkWithKid;
}

export type VerifyOutcome = { id: number; payload: Record<string, unknown>; failure?: undefined } | { id: number; failure: VerifyFailure; payload?: undefined };

interface Pending {
  job: VerifyJob;
  resolve: (outcome: VerifyOutcome) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Jobs of this event-loop turn, posted together when it ends. */
  outbox: VerifyJob[];
}

const MAX_RESTARTS_PER_MINUTE = 5;
/**
 * A thread answers a message's jobs together, so a batch's first answer waits for its last. Small
 * batches keep the event loop and the thread working at the same time instead of taking turns;
 * one job a message pays a wake-up per job. 4 measured best (docs/benchmarks.md).
 */
const MAX_BATCH = 4;

/**
 * Threads that run aws-jwt-verify on fresh tokens, so that the ES256 check (the one expensive
 * step of a request) uses the other cores instead of the event loop. A job whose thread dies is
 * rejected with `VerifyThreadLost`; the caller verifies it in process. Threads that keep dying
 * are not restarted: the caller then verifies everything in process.
 */
export class AlbVerifyPool {
  private readonly logger = new Logger(AlbVerifyPool.name);
  private readonly threads: Thread[] = [];
  private readonly restarts: number[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly settings: VerifyThreadSettings,
  ) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  /** False once threads kept dying (or after close): verify in process. */
  get available(): boolean {
    return !this.closed && this.threads.length > 0;
  }

  verify(token: string, jwk: JwkWithKid): Promise<VerifyOutcome> {
    const thread = this.leastBusy();
    if (!thread) return Promise.reject(new VerifyThreadLost());
    const job: VerifyJob = { id: this.nextId++, token, jwk };
    return new Promise<VerifyOutcome>((resolve, reject) => {
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(job.id, { job, resolve, reject });
      // One message per turn of the event loop (up to MAX_BATCH jobs), not one per job: each message
      // costs a wake-up and a dispatch on both sides (docs/benchmarks.md).
      const queued = thread.outbox.push(job);
      if (queued === 1) setImmediate(() => this.post(thread));
      else if (queued >= MAX_BATCH) this.post(thread);
    });
  }

  private post(thread: Thread): void {
    const jobs = thread.outbox.splice(0);
    if (!jobs.length || !this.threads.includes(thread)) return;
    try {
      thread.worker.postMessage(jobs);
    } catch {
      // Not sent (a job that cannot be cloned): these are verified on the event loop instead.
      metrics.verifyThreadJobs.inc({ result: 'lost' }, jobs.length);
      for (const job of jobs) {
        thread.pending.get(job.id)?.reject(new VerifyThreadLost());
        thread.pending.delete(job.id);
      }
      if (thread.pending.size === 0) thread.worker.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
    for (const thread of threads) this.fail(thread);
  }

  private leastBusy(): Thread | undefined {
    let best: Thread | undefined;
    for (const thread of this.threads) if (!best || thread.pending.size < best.pending.size) best = thread;
    return best;
  }

  private spawn(): Thread {
    const worker = startThread(__dirname, 'alb-verify.worker', { workerData: this.settings });
    const thread: Thread = { worker, pending: new Map(), outbox: [] };
    worker.on('message', (outcomes: VerifyOutcome[]) => {
      let answered = 0;
      for (const outcome of outcomes) {
        const pending = thread.pending.get(outcome.id);
        thread.pending.delete(outcome.id);
        if (!pending) continue;
        answered++;
        pending.resolve(outcome);
      }
      if (thread.pending.size === 0) thread.worker.unref();
      if (answered) metrics.verifyThreadJobs.inc({ result: 'answered' }, answered);
    });
    worker.on('error', (error) => this.logger.error(`A verify thread failed: ${error.message}`));
    worker.on('exit', () => this.lost(thread));
    // Referenced only while it has jobs (after the listeners: adding one re-refs the port).
    worker.unref();
    return thread;
  }

  private lost(thread: Thread): void {
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads.splice(index, 1);
    this.fail(thread);
    if (this.closed) return;
    const now = Date.now();
    while (this.restarts.length && now - this.restarts[0] > 60_000) this.restarts.shift();
    if (this.restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      this.logger.error('Verify threads keep dying: tokens are verified on the event loop from now on');
      return;
    }
    this.restarts.push(now);
    this.threads.push(this.spawn());
  }

  private fail(thread: Thread): void {
    if (thread.pending.size) metrics.verifyThreadJobs.inc({ result: 'lost' }, thread.pending.size);
    for (const pending of thread.pending.values()) pending.reject(new VerifyThreadLost());
    thread.pending.clear();
    thread.outbox.length = 0;
  }
}

export class VerifyThreadLost extends Error {
  constructor() {
    super('verify thread lost');
  }
}
