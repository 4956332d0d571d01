import { cognitoUserPoolId, defaultVerifyThreads } from '../alb-auth/alb-auth-options.resolver';
import { DEFAULT_TOKEN_HEADER, type AlbAccessTokenOptions } from '../alb-auth/alb-auth.options';
import { AlbArn, defaultKeyEndpoint, parseAlbArn } from '../alb-auth/alb-arn';
import type { HttpAdapterName } from '../http/http-adapter';
import { DatabaseConfig, DEFAULT_DATABASE_URL, parseDatabaseUrl } from '../database/database-url';
import { validateEnv } from './env.dto';
import { DEFAULT_ADMIN_GROUPS } from '../user-sync/user-sync.options';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AlbAuthConfig {
  arns: string[];
  issuer: string;
  clientIds: string[] | null;
  keyEndpoint: string;
  tokenHeader: string;
  graceSeconds: number;
  /** Threads that check fresh tokens' signatures off the event loop (0: on it). */
  verifyThreads: number;
  /** Event-loop busy share (0–1) from which fresh tokens go to the threads (0: always). */
  verifyThreadsAtLoad: number;
  /** The forwarded access token's verification, or null when its claims are not used. */
  accessToken: AlbAccessTokenOptions | null;
}

/** The service's whole configuration, validated once at start (CONTRACT.md §3). */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  database: DatabaseConfig;
  /** No ALB configured outside production: the local ALB emulator fronts the service. */
  localMode: boolean;
  localAlbPort: number;
  alb: AlbAuthConfig;
  adminApiToken: string | null;
  adminGroups: string[];
  /** When set, GET /metrics needs it as a bearer token. */
  metricsToken: string | null;
  logLevel: LogLevel;
  /** pretty: one coloured line per entry, for a person at a terminal; json: one JSON object per line. */
  logFormat: 'json' | 'pretty';
  httpAdapter: HttpAdapterName;
  /** A request's headers and body must arrive within this (slow bodies are cut off with 408). */
  requestTimeoutMs: number;
  /** After SIGTERM: in-flight requests may finish for this long, then every connection is closed. */
  shutdownTimeoutMs: number;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** The faster adapter by `npm run bench` (README). */
export const DEFAULT_HTTP_ADAPTER: HttpAdapterName = 'fastify';

/** NODE_ENV values (any case) under which local mode may start; every other value needs the ALB settings. */
const LOCAL_MODE_ENVS = ['development', 'test'];

/** The local emulator's identity: the keys are its own, generated under ./data on first start. */
export const LOCAL_ALB = {
  arn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/local-alb/0000000000000000',
  issuer: 'https://local-idp.alb-usersync.invalid',
  clientId: 'local-client',
};

type Env = Record<string, string | undefined>;

/** @param stdoutIsTty whether a person reads the logs (LOG_FORMAT auto: pretty then) */
export function loadConfig(rawEnv: Env = process.env, stdoutIsTty = process.stdout.isTTY === true): AppConfig {
  const { env, problems } = validateEnv(rawEnv);
  const nodeEnv = env.NODE_ENV || 'development';
  const value = (name: string): string | undefined => env[name];
  const list = (name: string): string[] | undefined =>
    value(name)
      ?.split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  // Already validated by EnvDto: an invalid value is a problem listed above, and the default stands in.
  const integer = (name: string, fallback: number): number => {
    const raw = value(name);
    return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : fallback;
  };

  const port = integer('PORT', 3000);
  const localAlbPort = integer('LOCAL_ALB_PORT', 8080);
  const graceSeconds = integer('ALB_GRACE_SECONDS', 0);
  const verifyThreads = integer('ALB_VERIFY_THREADS', defaultVerifyThreads());
  const verifyThreadsAtLoadPercent = integer('ALB_VERIFY_THREADS_AT_LOAD', 25);
  const requestTimeoutSeconds = integer('REQUEST_TIMEOUT_SECONDS', 10);
  const shutdownTimeoutSeconds = integer('SHUTDOWN_TIMEOUT_SECONDS', 10);

  let database: DatabaseConfig = { type: 'sqlite', path: ':memory:' };
  try {
    database = parseDatabaseUrl(value('DATABASE_URL') ?? DEFAULT_DATABASE_URL);
  } catch (error) {
    problems.push(`DATABASE_URL: ${(error as Error).message}`);
  }

  const arns = list('ALB_ARNS');
  const issuer = value('ALB_ISSUER');
  // Fail closed: only an explicit development or test environment (or none) may run the emulator.
  const localMode = !arns && LOCAL_MODE_ENVS.includes(nodeEnv.toLowerCase());
  const parsedArns: AlbArn[] = [];
  if (!localMode) {
    if (!arns) {
      problems.push(`ALB_ARNS: required when NODE_ENV is "${nodeEnv.slice(0, 32)}" (comma-separated ARNs of the trusted load balancers; local mode runs only when NODE_ENV is unset, development or test)`);
    }
    if (!issuer) problems.push('ALB_ISSUER: required (the expected iss of the tokens)');
    for (const arn of arns ?? []) {
      const parsed = parseAlbArn(arn);
      if (parsed) parsedArns.push(parsed);
      else
        problems.push(
          `ALB_ARNS: "${arn}" is not an ALB ARN (arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)`,
        );
    }
  }

  // ALB_KEY_ENDPOINT itself is validated by EnvDto; without it the endpoint follows the ARNs.
  let keyEndpoint = value('ALB_KEY_ENDPOINT')?.replace(/\/+$/, '');
  if (keyEndpoint === undefined && localMode) {
    keyEndpoint = `http://127.0.0.1:${localAlbPort}/.alb/keys`;
  } else if (keyEndpoint === undefined && parsedArns.length > 0) {
    const endpoints = new Set(parsedArns.map(defaultKeyEndpoint));
    if (endpoints.size > 1) {
      problems.push('ALB_KEY_ENDPOINT: required when ALB_ARNS span several regions or partitions');
    }
    keyEndpoint = [...endpoints][0];
  }

  // Access tokens: explicit, off, derived from a Cognito ALB_ISSUER (the pool signs both), or the emulator's.
  let accessToken: AlbAccessTokenOptions | null = null;
  const accessIssuerSetting = value('ALB_ACCESS_TOKEN_ISSUER');
  if (localMode && accessIssuerSetting !== 'off') {
    accessToken = { issuer: LOCAL_ALB.issuer, jwksUri: `http://127.0.0.1:${localAlbPort}/.alb/jwks.json`, clientIds: null };
  } else if (accessIssuerSetting !== 'off') {
    const accessIssuer = accessIssuerSetting ?? (issuer && cognitoUserPoolId(issuer) ? issuer : undefined);
    if (accessIssuer) {
      const jwksUri = value('ALB_ACCESS_TOKEN_JWKS_URI');
      const cognito = cognitoUserPoolId(accessIssuer) !== null;
      if (!jwksUri && !cognito) problems.push('ALB_ACCESS_TOKEN_JWKS_URI: required when ALB_ACCESS_TOKEN_ISSUER is not an Amazon Cognito user pool');
      if (jwksUri && !/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/])/.test(jwksUri)) problems.push('ALB_ACCESS_TOKEN_JWKS_URI: must be an https URL (http only on the loopback)');
      const clientIds = list('ALB_ACCESS_TOKEN_CLIENT_IDS') ?? (cognito ? (list('ALB_CLIENT_IDS') ?? null) : null);
      // Other issuers' tokens carry no token_use: their audience is what tells an access token for us from any other.
      if (!cognito && !clientIds) problems.push('ALB_ACCESS_TOKEN_CLIENT_IDS: required when ALB_ACCESS_TOKEN_ISSUER is not an Amazon Cognito user pool (the accepted aud values)');
      accessToken = { issuer: accessIssuer, ...(jwksUri && { jwksUri }), clientIds };
    }
  }

  const adminApiToken = value('ADMIN_API_TOKEN') ?? null;
  const metricsToken = value('METRICS_TOKEN') ?? null;
  const httpAdapter = (value('HTTP_ADAPTER') ?? DEFAULT_HTTP_ADAPTER) as HttpAdapterName;
  const logLevel = (value('LOG_LEVEL') ?? 'info') as LogLevel;
  const logFormatSetting = value('LOG_FORMAT') ?? 'auto';
  const logFormat = logFormatSetting === 'auto' ? (stdoutIsTty ? 'pretty' : 'json') : (logFormatSetting as 'json' | 'pretty');

  if (problems.length > 0) throw new ConfigValidationError(problems);

  return {
    nodeEnv,
    port,
    database,
    localMode,
    localAlbPort,
    alb: {
      arns: localMode ? [LOCAL_ALB.arn] : (arns as string[]),
      issuer: localMode ? LOCAL_ALB.issuer : (issuer as string),
      clientIds: localMode ? [LOCAL_ALB.clientId] : (list('ALB_CLIENT_IDS') ?? null),
      keyEndpoint: keyEndpoint as string,
      tokenHeader: (value('ALB_TOKEN_HEADER') ?? DEFAULT_TOKEN_HEADER).toLowerCase(),
      graceSeconds,
      verifyThreads,
      verifyThreadsAtLoad: verifyThreadsAtLoadPercent / 100,
      accessToken,
    },
    adminApiToken,
    adminGroups: list('ADMIN_GROUPS') ?? DEFAULT_ADMIN_GROUPS,
    metricsToken,
    logFormat,
    logLevel,
    httpAdapter,
    requestTimeoutMs: requestTimeoutSeconds * 1000,
    shutdownTimeoutMs: shutdownTimeoutSeconds * 1000,
  };
}
