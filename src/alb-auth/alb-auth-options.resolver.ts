import { availableParallelism } from 'node:os';
import { defaultKeyEndpoint, parseAlbArn } from '../config/alb-arn';
import { AlbAuthModuleOptions, ResolvedAlbAuthOptions } from './alb-auth.options';

/** Validates a host app's options once at start; a mistake stops the app naming the option. */
export function resolveAlbAuthOptions(options: AlbAuthModuleOptions): ResolvedAlbAuthOptions {
  const problems: string[] = [];
  if (!options.arns?.length) problems.push('arns: at least one ALB ARN is required');
  const parsed = (options.arns ?? []).map((arn) => ({ arn, parsed: parseAlbArn(arn) }));
  for (const { arn, parsed: p } of parsed) if (!p) problems.push(`arns: "${arn}" is not an ALB ARN`);
  if (!options.issuer) problems.push('issuer: required');
  const grace = options.graceSeconds ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > 300) problems.push('graceSeconds: an integer from 0 to 300');
  let keyEndpoint = options.keyEndpoint;
  if (!keyEndpoint && parsed[0]?.parsed) keyEndpoint = defaultKeyEndpoint(parsed[0].parsed);
  if (keyEndpoint && !/^https?:\/\/[^/]/.test(keyEndpoint)) problems.push('keyEndpoint: must be an http(s) URL');
  const threads = options.verifyThreads ?? defaultVerifyThreads();
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) problems.push('verifyThreads: an integer from 0 to 64');
  const atLoad = options.verifyThreadsAtLoad ?? 0.75;
  if (typeof atLoad !== 'number' || !(atLoad >= 0 && atLoad <= 1)) problems.push('verifyThreadsAtLoad: a number from 0 to 1');
  if (problems.length) throw new Error(`AlbAuthModule options are invalid:\n${problems.join('\n')}`);
  return {
    arns: options.arns,
    issuer: options.issuer,
    clientIds: options.clientIds?.length ? options.clientIds : null,
    keyEndpoint: (keyEndpoint as string).replace(/\/+$/, ''),
    tokenHeader: (options.tokenHeader ?? 'x-amzn-oidc-data').toLowerCase(),
    graceSeconds: grace,
    keyCache: {
      maxKeys: options.keyCache?.maxKeys ?? 64,
      failureBackoffMs: options.keyCache?.failureBackoffMs ?? 30_000,
      fetchBurst: options.keyCache?.fetchBurst ?? 5,
      fetchRefillMs: options.keyCache?.fetchRefillMs ?? 10_000,
      fetchTimeoutMs: options.keyCache?.fetchTimeoutMs ?? 3_000,
      unknownKidWaitMs: options.keyCache?.unknownKidWaitMs ?? 1_500,
      priorityFetchIntervalMs: options.keyCache?.priorityFetchIntervalMs ?? 500,
      demandWindowMs: options.keyCache?.demandWindowMs ?? 10_000,
    },
    verifiedTokenCacheSize: options.verifiedTokenCacheSize ?? 10_000,
    logout: { deleteSessionCookie: options.logout?.deleteSessionCookie ?? true, redirectUrl: options.logout?.redirectUrl ?? null },
    verifyThreads: threads,
    verifyThreadsAtLoad: atLoad,
  };
}

/** One thread per core beside the event loop's, at most 4 (beyond that the event loop is the limit). */
export function defaultVerifyThreads(): number {
  return Math.min(4, Math.max(0, availableParallelism() - 1));
}
