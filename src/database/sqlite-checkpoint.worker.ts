import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

// Checkpoints the WAL from a connection of its own, so that copying pages back into the database
// file (and its fsync) never blocks the event loop, as SQLite's automatic checkpoint would.
const { path, intervalMs } = workerData as { path: string; intervalMs: number };
// Never waits for a lock: a busy moment is simply retried at the next tick.
const db = new Database(path, { fileMustExist: true, timeout: 0 });

function checkpoint(): void {
  // PASSIVE: copies what it can without taking the writer's lock, so the service never waits.
  // (A TRUNCATE here to keep the file small made the service's writes wait for it: 40 ms stalls.)
  db.pragma('wal_checkpoint(PASSIVE)');
}

const timer = setInterval(() => {
  try {
    checkpoint();
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') parentPort?.postMessage({ error: (error as Error).message });
  }
}, intervalMs);

parentPort?.on('message', (message: { stop?: boolean }) => {
  if (!message.stop) return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
