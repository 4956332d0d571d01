import { checkAlbAuthOptions, cognitoUserPoolId } from '../alb-auth/alb-auth-options.resolver';
import type { AlbAccessTokenOptions, AlbAuthModuleOptions, ResolvedAlbAuthOptions } from '../alb-auth/alb-auth.options';
import type { HttpAdapterName } from '../http/http-adapter';
import { DatabaseConfig, DEFAULT_DATABASE_URL, parseDatabaseUrl, withDatabasePassword } from '../database/database-url';
import { validateEnv } from './env.dto';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The service's whole configuration, validated once at start (CONTRACT.md §3). */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  database: DatabaseConfig;
  /** No ALB configured outside production: the local ALB emulator fronts the service. */
  localMode: boolean;
  localAlbPort: number;
  /** AlbAuth's options, as its module resolves them (the environment only maps into them). */
  alb: ResolvedAlbAuthOptions;
  adminApiToken: string | null;
  /** ADMIN_GROUPS; unset: UserSync's default. */
  adminGroups: string[] | undefined;
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
  const requestTimeoutSeconds = integer('REQUEST_TIMEOUT_SECONDS', 10);
  const shutdownTimeoutSeconds = integer('SHUTDOWN_TIMEOUT_SECONDS', 10);
  // A value EnvDto refused is left out: the module's default stands in, and the problem is listed once.
  const whole = (name: string): number | undefined => (/^\d{1,9}$/.test(value(name) ?? '') ? Number(value(name)) : undefined);

  let database: DatabaseConfig = { type: 'sqlite', path: ':memory:' };
  try {
    database = parseDatabaseUrl(value('DATABASE_URL') ?? DEFAULT_DATABASE_URL);
  } catch (error) {
    problems.push(`DATABASE_URL: ${(error as Error).message}`);
  }
  try {
    database = withDatabasePassword(database, value('DATABASE_PASSWORD') || undefined);
  } catch (error) {
    problems.push(`DATABASE_PASSWORD: ${(error as Error).message}`);
  }

  const arns = list('ALB_ARNS');
  // Fail closed: only an explicit development or test environment (or none) may run the emulator.
  const localMode = !arns && LOCAL_MODE_ENVS.includes(nodeEnv.toLowerCase());
  if (!localMode && !arns) {
    problems.push(`ALB_ARNS: required when NODE_ENV is "${nodeEnv.slice(0, 32)}" (comma-separated ARNs of the trusted load balancers; local mode runs only when NODE_ENV is unset, development or test)`);
  }
  // A percentage here (EnvDto: 0 to 100), a share in the module.
  const atLoadPercent = whole('ALB_VERIFY_THREADS_AT_LOAD');
  const albOptions: AlbAuthModuleOptions = {
    arns: localMode ? [LOCAL_ALB.arn] : (arns ?? []),
    issuer: localMode ? LOCAL_ALB.issuer : (value('ALB_ISSUER') ?? ''),
    clientIds: localMode ? [LOCAL_ALB.clientId] : (list('ALB_CLIENT_IDS') ?? null),
    keyEndpoint: value('ALB_KEY_ENDPOINT') ?? (localMode ? `http://127.0.0.1:${localAlbPort}/.alb/keys` : undefined),
    tokenHeader: value('ALB_TOKEN_HEADER'),
    graceSeconds: whole('ALB_GRACE_SECONDS'),
    verifyThreads: whole('ALB_VERIFY_THREADS'),
    verifyThreadsAtLoad: atLoadPercent === undefined || atLoadPercent > 100 ? undefined : atLoadPercent / 100,
    accessToken: accessTokenOptions(value, list, localMode, localAlbPort),
  };
  const { resolved: alb, problems: albProblems } = checkAlbAuthOptions(albOptions);
  // Reported under the variables' names; ALB_ARNS is required above when it is missing.
  problems.push(...albProblems.filter((problem) => arns || !problem.startsWith('arns:')).map(asVariableProblem));
  const access = albOptions.accessToken;
  // The service's own policy (the module leaves it to the host): other issuers' tokens carry no
  // token_use, so their audience is what tells an access token for us from any other.
  if (!localMode && access && cognitoUserPoolId(access.issuer) === null && !access.clientIds?.length) {
    problems.push('ALB_ACCESS_TOKEN_CLIENT_IDS: required when ALB_ACCESS_TOKEN_ISSUER is not an Amazon Cognito user pool (the accepted aud values)');
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
    alb: alb as ResolvedAlbAuthOptions,
    adminApiToken,
    adminGroups: list('ADMIN_GROUPS'),
    metricsToken,
    logFormat,
    logLevel,
    httpAdapter,
    requestTimeoutMs: requestTimeoutSeconds * 1000,
    shutdownTimeoutMs: shutdownTimeoutSeconds * 1000,
  };
}

/** AlbAuth's option names, as the service's environment spells them. */
const ALB_VARIABLES: Record<string, string> = {
  arns: 'ALB_ARNS',
  issuer: 'ALB_ISSUER',
  clientIds: 'ALB_CLIENT_IDS',
  keyEndpoint: 'ALB_KEY_ENDPOINT',
  tokenHeader: 'ALB_TOKEN_HEADER',
  graceSeconds: 'ALB_GRACE_SECONDS',
  verifyThreads: 'ALB_VERIFY_THREADS',
  verifyThreadsAtLoad: 'ALB_VERIFY_THREADS_AT_LOAD',
  'accessToken.issuer': 'ALB_ACCESS_TOKEN_ISSUER',
  'accessToken.jwksUri': 'ALB_ACCESS_TOKEN_JWKS_URI',
  'accessToken.clientIds': 'ALB_ACCESS_TOKEN_CLIENT_IDS',
};

function asVariableProblem(problem: string): string {
  const option = problem.slice(0, problem.indexOf(':'));
  return ALB_VARIABLES[option] ? `${ALB_VARIABLES[option]}${problem.slice(option.length)}` : problem;
}

/** Access tokens: explicit, off, derived from a Cognito ALB_ISSUER (the pool signs both), or the emulator's. */
function accessTokenOptions(
  value: (name: string) => string | undefined,
  list: (name: string) => string[] | undefined,
  localMode: boolean,
  localAlbPort: number,
): AlbAccessTokenOptions | null {
  const setting = value('ALB_ACCESS_TOKEN_ISSUER');
  if (setting === 'off') return null;
  if (localMode) return { issuer: LOCAL_ALB.issuer, jwksUri: `http://127.0.0.1:${localAlbPort}/.alb/jwks.json`, clientIds: null };
  const albIssuer = value('ALB_ISSUER');
  const issuer = setting ?? (albIssuer && cognitoUserPoolId(albIssuer) ? albIssuer : undefined);
  if (!issuer) return null;
  const cognito = cognitoUserPoolId(issuer) !== null;
  return { issuer, jwksUri: value('ALB_ACCESS_TOKEN_JWKS_URI'), clientIds: list('ALB_ACCESS_TOKEN_CLIENT_IDS') ?? (cognito ? (list('ALB_CLIENT_IDS') ?? null) : null) };
}
