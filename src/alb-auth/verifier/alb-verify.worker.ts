import { AlbJwtVerifier } from 'aws-jwt-verify';
import type { JwkWithKid } from 'aws-jwt-verify/jwk';
import { parentPort, workerData } from 'node:worker_threads';
import { classifyVerifyError } from './alb-verify-errors';
import type { VerifyJob, VerifyOutcome, VerifyThreadSettings } from './alb-verify-pool';

// A verify thread: aws-jwt-verify checks signature and claims here, off the event loop. The key
// comes with each job from the event loop's key store, which alone fetches and budgets keys.
const settings = workerData as VerifyThreadSettings;
let current: JwkWithKid | undefined;
const keyOfThisJob = () => {
  if (!current) throw new Error('no key');
  return current;
};
const verifier = AlbJwtVerifier.create(
  { albArn: settings.arns, issuer: settings.issuer, clientId: settings.clientIds, jwksUri: settings.keyEndpoint, graceSeconds: settings.graceSeconds },
  {
    jwksCache: {
      getCachedJwk: keyOfThisJob,
      getJwk: async () => keyOfThisJob(),
      addJwks: () => undefined,
      getJwks: async () => ({ keys: [] }),
    },
  },
);

function check(job: VerifyJob): VerifyOutcome {
  current = job.jwk;
  try {
    return { id: job.id, payload: verifier.verifySync(job.token) as Record<string, unknown> };
  } catch (error) {
    return { id: job.id, failure: classifyVerifyError(error) };
  } finally {
    current = undefined;
  }
}

// The jobs of one turn of the event loop come in one message and are answered in one.
parentPort?.on('message', (jobs: VerifyJob[]) => parentPort?.postMessage(jobs.map(check)));
