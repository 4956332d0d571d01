import { availableParallelism } from 'node:os';
import { AlbArn, defaultKeyEndpoint, parseAlbArn } from './alb-arn';
import { AlbAccessTokenOptions, AlbAuthModuleOptions, DEFAULT_ACCESS_TOKEN_HEADER, DEFAULT_TOKEN_HEADER, ResolvedAccessTokenOptions, ResolvedAlbAuthOptions } from './alb-auth.options';

/** Validates a host app's options once at start; a mistake stops the app naming the option. */
export function resolveAlbAuthOptions(options: AlbAuthModuleOptions): ResolvedAlbAuthOptions {
  const { resolved, problems } = checkAlbAuthOptions(options);
  if (!resolved) throw new Error(`AlbAuthModule options are invalid:\n${problems.join('\n')}`);
  return resolved;
}

/**
 * The one validation of AlbAuth's options (the service's environment maps into these options and
 * reports these problems under its variables' names): the resolved options, or every problem, one
 * line each, starting with the option's name.
 */
export function checkAlbAuthOptions(options: AlbAuthModuleOptions): { resolved: ResolvedAlbAuthOptions | null; problems: string[] } {
  const problems: string[] = [];
  if (!options.arns?.length) problems.push('arns: at least one ALB ARN is required');
  const parsed: AlbArn[] = [];
  for (const arn of options.arns ?? []) {
    const albArn = parseAlbArn(arn);
    if (albArn) parsed.push(albArn);
    else problems.push(`arns: "${arn}" is not an ALB ARN (arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)`);
  }
  if (!options.issuer) problems.push('issuer: required (the expected iss of the tokens)');
  const grace = options.graceSeconds ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > 300) problems.push('graceSeconds: must be an integer from 0 to 300');
  let keyEndpoint = options.keyEndpoint;
  if (!keyEndpoint && parsed.length > 0) {
    const endpoints = new Set(parsed.map(defaultKeyEndpoint));
    if (endpoints.size > 1) problems.push('keyEndpoint: required when the ARNs span several regions or partitions');
    keyEndpoint = [...endpoints][0];
  }
  if (keyEndpoint && !/^https?:\/\/[^/]/.test(keyEndpoint)) problems.push('keyEndpoint: must be an http(s) URL');
  const tokenHeader = options.tokenHeader ?? DEFAULT_TOKEN_HEADER;
  if (!HEADER_NAME.test(tokenHeader)) problems.push('tokenHeader: must be an HTTP header name');
  const threads = options.verifyThreads ?? defaultVerifyThreads();
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) problems.push('verifyThreads: must be an integer from 0 to 64');
  const atLoad = options.verifyThreadsAtLoad ?? 0.25;
  if (typeof atLoad !== 'number' || !(atLoad >= 0 && atLoad <= 1)) problems.push('verifyThreadsAtLoad: must be a number from 0 to 1');
  const accessToken = options.accessToken ? resolveAccessToken(options.accessToken, problems) : null;
  if (problems.length) return { resolved: null, problems };
  const resolved: ResolvedAlbAuthOptions = {
    arns: options.arns,
    issuer: options.issuer,
    clientIds: options.clientIds?.length ? options.clientIds : null,
    keyEndpoint: (keyEndpoint as string).replace(/\/+$/, ''),
    tokenHeader: tokenHeader.toLowerCase(),
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
    accessToken,
    verifyThreads: threads,
    verifyThreadsAtLoad: atLoad,
  };
  return { resolved, problems };
}

const HEADER_NAME = /^[A-Za-z0-9-]{1,128}$/;
/** A JWKS is fetched over https, or plain http on the loopback only (a local IdP, tests). */
const JWKS_URL = /^(https:\/\/[^/]|http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/])/;

/** An Amazon Cognito user pool's issuer: https://cognito-idp.<region>.amazonaws.com/<region>_<id>. */
const COGNITO_ISSUER = /^https:\/\/cognito-idp\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com\/(\1_[0-9A-Za-z]+)$/;

export function cognitoUserPoolId(issuer: string): string | null {
  return COGNITO_ISSUER.exec(issuer)?.[2] ?? null;
}

function resolveAccessToken(options: AlbAccessTokenOptions, problems: string[]): ResolvedAccessTokenOptions | null {
  const before = problems.length;
  if (!options.issuer) problems.push('accessToken.issuer: required');
  const poolId = options.issuer ? cognitoUserPoolId(options.issuer) : null;
  const jwksUri = options.jwksUri ?? (poolId ? `${options.issuer}/.well-known/jwks.json` : undefined);
  if (!jwksUri) problems.push('accessToken.jwksUri: required unless the issuer is an Amazon Cognito user pool');
  else if (!JWKS_URL.test(jwksUri)) problems.push('accessToken.jwksUri: must be an https URL (http only on the loopback)');
  const header = options.header ?? DEFAULT_ACCESS_TOKEN_HEADER;
  if (!HEADER_NAME.test(header)) problems.push('accessToken.header: must be an HTTP header name');
  const backoff = options.unknownKidBackoffMs ?? 10_000;
  if (!Number.isInteger(backoff) || backoff < 100) problems.push('accessToken.unknownKidBackoffMs: must be an integer of at least 100');
  if (problems.length > before) return null;
  return {
    issuer: options.issuer,
    jwksUri: jwksUri as string,
    clientIds: options.clientIds?.length ? options.clientIds : null,
    header: header.toLowerCase(),
    cognitoUserPoolId: poolId,
    unknownKidBackoffMs: backoff,
    fetchTimeoutMs: options.fetchTimeoutMs ?? 3_000,
  };
}

/** One thread per core beside the event loop's, at most 4 (beyond that the event loop is the limit). */
export function defaultVerifyThreads(): number {
  return Math.min(4, Math.max(0, availableParallelism() - 1));
}
