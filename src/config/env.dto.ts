import { plainToInstance } from 'class-transformer';
import { IsIn, IsOptional, Matches, MinLength, ValidateBy, ValidationArguments, validateSync } from 'class-validator';

/** An integer within bounds, written as decimal digits. */
function IsIntegerText(min: number, max: number): PropertyDecorator {
  return ValidateBy({
    name: 'isIntegerText',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max,
      defaultMessage: (args?: ValidationArguments) => `${args?.property}: must be an integer from ${min} to ${max}`,
    },
  });
}

/** Decimal digits: a whole number whose range the option's owner checks. */
function IsWholeNumberText(): PropertyDecorator {
  return ValidateBy({
    name: 'isWholeNumberText',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && /^\d{1,9}$/.test(value),
      defaultMessage: (args?: ValidationArguments) => `${args?.property}: must be a whole number`,
    },
  });
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The environment, one rule per variable (CONTRACT.md §3, README "Configuration"). Values arrive
 * trimmed; empty ones are absent. Rules that join several variables (local mode, ARNs and their
 * key endpoint) are loadConfig's. Messages name the variable and the rule, never a value: some
 * are secrets.
 */
export class EnvDto {
  @IsOptional() @IsIntegerText(1, 65535) PORT?: string;
  @IsOptional() @IsIntegerText(1, 65535) LOCAL_ALB_PORT?: string;
  // AlbAuth's options are the module's to check (ranges, URLs, header names): here only their form.
  @IsOptional() @IsWholeNumberText() ALB_GRACE_SECONDS?: string;
  @IsOptional() @IsWholeNumberText() ALB_VERIFY_THREADS?: string;
  @IsOptional() @IsIntegerText(0, 100) ALB_VERIFY_THREADS_AT_LOAD?: string;
  @IsOptional() @IsIntegerText(1, 300) REQUEST_TIMEOUT_SECONDS?: string;
  @IsOptional() @IsIntegerText(1, 120) SHUTDOWN_TIMEOUT_SECONDS?: string;

  @IsOptional()
  @Matches(/^(off|https:\/\/[^\s]+)$/, { message: 'ALB_ACCESS_TOKEN_ISSUER: must be an https URL (the access token\'s iss) or off' })
  ALB_ACCESS_TOKEN_ISSUER?: string;

  @IsOptional() @MinLength(32, { message: 'ADMIN_API_TOKEN: must be at least 32 characters' }) ADMIN_API_TOKEN?: string;
  @IsOptional() @MinLength(32, { message: 'METRICS_TOKEN: must be at least 32 characters' }) METRICS_TOKEN?: string;

  @IsOptional() @IsIn(['express', 'fastify'], { message: 'HTTP_ADAPTER: must be express or fastify' }) HTTP_ADAPTER?: string;
  @IsOptional() @IsIn(LOG_LEVELS, { message: `LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}` }) LOG_LEVEL?: string;
  @IsOptional() @IsIn(['json', 'pretty', 'auto'], { message: 'LOG_FORMAT: must be json, pretty or auto' }) LOG_FORMAT?: string;
}

/** The environment trimmed (empty values left out), validated: the DTO and one line per problem. */
export function validateEnv(env: Record<string, string | undefined>): { env: EnvDto & Record<string, string | undefined>; problems: string[] } {
  const trimmed = Object.fromEntries(
    Object.entries(env)
      .map(([name, value]) => [name, value?.trim()])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  // Case-insensitive choices are compared in lower case.
  for (const name of ['HTTP_ADAPTER', 'LOG_LEVEL', 'LOG_FORMAT']) if (trimmed[name]) trimmed[name] = trimmed[name].toLowerCase();
  const dto = plainToInstance(EnvDto, trimmed);
  const problems = validateSync(dto, { skipMissingProperties: false }).flatMap((error) => Object.values(error.constraints ?? {}));
  return { env: dto as EnvDto & Record<string, string | undefined>, problems };
}
