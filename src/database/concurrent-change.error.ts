/** Thrown inside a transaction that found a row changed under it (a conditional update hit nothing): retried on a fresh snapshot. */
export class ConcurrentChangeError extends Error {
  constructor(what: string) {
    super(`${what} changed concurrently`);
    this.name = 'ConcurrentChangeError';
  }
}
