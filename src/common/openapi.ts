import type { Type } from '@nestjs/common';
import { OmitType as PlainOmitType, PartialType as PlainPartialType } from '@nestjs/mapped-types';
import type * as Swagger from '@nestjs/swagger';

/*
 * The OpenAPI decorators of @nestjs/swagger when it is installed (the reference service documents
 * its API at /docs with them), otherwise no-ops. The package lists @nestjs/swagger as an optional
 * peer: a host app that does not ask for Swagger does not get it. The mapped types fall back to
 * @nestjs/mapped-types, which carries the same validation metadata.
 */
function loadSwagger(): typeof Swagger | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@nestjs/swagger') as typeof Swagger;
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes("'@nestjs/swagger'");
    if (missing) return undefined;
    throw error;
  }
}

const swagger = loadSwagger();
const noDecorator = (): ((...target: unknown[]) => void) => () => undefined;

/** Whether @nestjs/swagger is installed (the /docs route needs it). */
export const SWAGGER_INSTALLED = swagger !== undefined;

export const ApiTags: typeof Swagger.ApiTags = swagger?.ApiTags ?? noDecorator;
export const ApiOkResponse: typeof Swagger.ApiOkResponse = swagger?.ApiOkResponse ?? noDecorator;
export const ApiCreatedResponse: typeof Swagger.ApiCreatedResponse = swagger?.ApiCreatedResponse ?? noDecorator;
export const ApiFoundResponse: typeof Swagger.ApiFoundResponse = swagger?.ApiFoundResponse ?? noDecorator;
export const ApiNotFoundResponse: typeof Swagger.ApiNotFoundResponse = swagger?.ApiNotFoundResponse ?? noDecorator;
export const ApiConflictResponse: typeof Swagger.ApiConflictResponse = swagger?.ApiConflictResponse ?? noDecorator;
export const ApiUnauthorizedResponse: typeof Swagger.ApiUnauthorizedResponse = swagger?.ApiUnauthorizedResponse ?? noDecorator;
export const ApiForbiddenResponse: typeof Swagger.ApiForbiddenResponse = swagger?.ApiForbiddenResponse ?? noDecorator;
export const ApiServiceUnavailableResponse: typeof Swagger.ApiServiceUnavailableResponse = swagger?.ApiServiceUnavailableResponse ?? noDecorator;
export const ApiProperty: typeof Swagger.ApiProperty = swagger?.ApiProperty ?? noDecorator;
export const ApiPropertyOptional: typeof Swagger.ApiPropertyOptional = swagger?.ApiPropertyOptional ?? noDecorator;
export const ApiSecurity: typeof Swagger.ApiSecurity = swagger?.ApiSecurity ?? noDecorator;
export const ApiBearerAuth: typeof Swagger.ApiBearerAuth = swagger?.ApiBearerAuth ?? noDecorator;
export const ApiBody: typeof Swagger.ApiBody = swagger?.ApiBody ?? noDecorator;
export const ApiQuery: typeof Swagger.ApiQuery = swagger?.ApiQuery ?? noDecorator;
export const ApiExcludeController: typeof Swagger.ApiExcludeController = swagger?.ApiExcludeController ?? noDecorator;
export const ApiExcludeEndpoint: typeof Swagger.ApiExcludeEndpoint = swagger?.ApiExcludeEndpoint ?? noDecorator;

export function PartialType<T>(classRef: Type<T>, options?: { skipNullProperties?: boolean }): Type<Partial<T>> {
  return (swagger?.PartialType ?? PlainPartialType)(classRef, options) as Type<Partial<T>>;
}

export function OmitType<T, K extends keyof T>(classRef: Type<T>, keys: readonly K[]): Type<Omit<T, (typeof keys)[number]>> {
  return (swagger?.OmitType ?? PlainOmitType)(classRef, keys) as Type<Omit<T, (typeof keys)[number]>>;
}
