import { join } from 'node:path';
import { Worker, WorkerOptions } from 'node:worker_threads';

const FROM_SOURCES = __filename.endsWith('.ts');

/**
 * Starts a worker thread from a module beside the caller (`<directory>/<name>.js`, or `.ts` when
 * running from sources under ts-node, as the tests and the bench do).
 */
export function startThread(directory: string, name: string, options: WorkerOptions = {}): Worker {
  const file = join(directory, `${name}${FROM_SOURCES ? '.ts' : '.js'}`);
  // Resolved here: a bare module name would be looked up from the process's working directory.
  const execArgv = FROM_SOURCES ? ['--require', require.resolve('ts-node/register/transpile-only')] : [];
  return new Worker(file, { ...options, execArgv: [...execArgv, ...(options.execArgv ?? [])] });
}
