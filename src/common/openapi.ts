import type * as Swagger from '@nestjs/swagger';

/*
 * The OpenAPI decorators of @nestjs/swagger when it is installed (the reference service documents
 * its API at /docs with them), otherwise no-ops. The package lists @nestjs/swagger as an optional
 * peer: a host app that does not ask for Swagger does not get it. (The mapped types, which only
 * UserSync's DTOs use, are in validation/mapped-types.ts: AlbAuth loads none.)
 */
export function loadSwagger(): typeof Swagger | undefined {
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
export const ApiUnprocessableEntityResponse: typeof Swagger.ApiUnprocessableEntityResponse = swagger?.ApiUnprocessableEntityResponse ?? noDecorator;
export const ApiServiceUnavailableResponse: typeof Swagger.ApiServiceUnavailableResponse = swagger?.ApiServiceUnavailableResponse ?? noDecorator;
export const ApiProperty: typeof Swagger.ApiProperty = swagger?.ApiProperty ?? noDecorator;
export const ApiPropertyOptional: typeof Swagger.ApiPropertyOptional = swagger?.ApiPropertyOptional ?? noDecorator;
export const ApiSecurity: typeof Swagger.ApiSecurity = swagger?.ApiSecurity ?? noDecorator;
export const ApiBearerAuth: typeof Swagger.ApiBearerAuth = swagger?.ApiBearerAuth ?? noDecorator;
export const ApiBody: typeof Swagger.ApiBody = swagger?.ApiBody ?? noDecorator;
export const ApiQuery: typeof Swagger.ApiQuery = swagger?.ApiQuery ?? noDecorator;
export const ApiExcludeController: typeof Swagger.ApiExcludeController = swagger?.ApiExcludeController ?? noDecorator;
export const ApiExcludeEndpoint: typeof Swagger.ApiExcludeEndpoint = swagger?.ApiExcludeEndpoint ?? noDecorator;
