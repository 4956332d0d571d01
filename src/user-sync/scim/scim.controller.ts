import { Controller, createParamDecorator, ExecutionContext, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '../../common/openapi';
import { Authenticated } from '../auth/authenticated.decorator';
import { ScimClientEntity } from '../store/scim-client.entity';
import { SCIM_CONFIG, SCIM_RESOURCE_TYPES, SCIM_SCHEMAS } from './scim-discovery';
import { ScimError } from './scim-error';
import { ScimExceptionFilter } from './scim-exception.filter';
import { ListQuery, ScimService } from './scim.service';

type ScimRequest = { scimClient: ScimClientEntity; protocol?: string; headers: Record<string, string | undefined>; url?: string; originalUrl?: string };
type Body_ = Record<string, unknown>;

const JSON_TYPES = /^application\/(scim\+)?json\s*(;|$)/i;

/** The request body, sent as `application/scim+json` (RFC 7644 §3.1) or `application/json`; anything else is 415. */
const ScimBody = createParamDecorator((_data: unknown, context: ExecutionContext): Body_ => {
  const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; body?: unknown }>();
  if (!JSON_TYPES.test(request.headers['content-type'] ?? '')) throw new ScimError(415, 'The body must be application/scim+json or application/json');
  return (request.body ?? {}) as Body_;
});
type RawQuery = Record<string, unknown>;

const LIST_PARAMETERS = ['filter', 'startIndex', 'count', 'excludedAttributes'] as const;

/** The list parameters, each given at most once (a repeated one is ambiguous: 400). */
function listQuery(query: RawQuery): ListQuery {
  const read: ListQuery = {};
  for (const name of LIST_PARAMETERS) {
    const value = Object.hasOwn(query, name) ? query[name] : undefined;
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new ScimError(400, `The parameter ${name} is given more than once`, 'invalidSyntax');
    read[name] = value;
  }
  return read;
}
const SCIM_JSON = 'application/scim+json';

/** Where this client's resources live, for `meta.location`: wherever the host mounted SCIM (routes.scim, a global prefix). */
function base(request: ScimRequest): string {
  const path = (request.originalUrl ?? request.url ?? '').split('?')[0];
  // The last /Users or /Groups segment (with the id after it, if any): what precedes it is where SCIM is mounted ('' at the root).
  const resources = /\/(Users|Groups)(\/[^/]*)?$/i.exec(path);
  return `${request.headers['x-forwarded-proto'] ?? 'https'}://${request.headers.host ?? 'localhost'}${resources ? path.slice(0, resources.index) : '/scim/v2'}`;
}

/** SCIM 2.0 (RFC 7643/7644) for identity providers: each client's bearer token reaches its own directory. */
@ApiExcludeController()
@Authenticated('scim')
@UseFilters(ScimExceptionFilter)
@Controller('scim/v2')
export class ScimController {
  constructor(private readonly scim: ScimService) {}

  @Get('ServiceProviderConfig')
  @Header('content-type', SCIM_JSON)
  config() {
    return SCIM_CONFIG;
  }

  @Get('ResourceTypes')
  @Header('content-type', SCIM_JSON)
  resourceTypes() {
    return { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: SCIM_RESOURCE_TYPES.length, Resources: SCIM_RESOURCE_TYPES };
  }

  @Get('Schemas')
  @Header('content-type', SCIM_JSON)
  schemas() {
    return { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: SCIM_SCHEMAS.length, Resources: SCIM_SCHEMAS };
  }

  @Get('Users')
  @Header('content-type', SCIM_JSON)
  listUsers(@Req() request: ScimRequest, @Query() query: RawQuery) {
    return this.scim.listUsers(request.scimClient, listQuery(query), base(request));
  }

  @Post('Users')
  @HttpCode(201)
  @Header('content-type', SCIM_JSON)
  createUser(@Req() request: ScimRequest, @ScimBody() body: Body_) {
    return this.scim.createUser(request.scimClient, body, base(request));
  }

  @Get('Users/:id')
  @Header('content-type', SCIM_JSON)
  getUser(@Req() request: ScimRequest, @Param('id') id: string) {
    return this.scim.getUser(request.scimClient, id, base(request));
  }

  @Put('Users/:id')
  @Header('content-type', SCIM_JSON)
  replaceUser(@Req() request: ScimRequest, @Param('id') id: string, @ScimBody() body: Body_) {
    return this.scim.replaceUser(request.scimClient, id, body, base(request));
  }

  @Patch('Users/:id')
  @Header('content-type', SCIM_JSON)
  patchUser(@Req() request: ScimRequest, @Param('id') id: string, @ScimBody() body: Body_) {
    return this.scim.patchUser(request.scimClient, id, body, base(request));
  }

  @Delete('Users/:id')
  @HttpCode(204)
  deleteUser(@Req() request: ScimRequest, @Param('id') id: string) {
    return this.scim.deleteUser(request.scimClient, id);
  }

  @Get('Groups')
  @Header('content-type', SCIM_JSON)
  listGroups(@Req() request: ScimRequest, @Query() query: RawQuery) {
    return this.scim.listGroups(request.scimClient, listQuery(query), base(request));
  }

  @Post('Groups')
  @HttpCode(201)
  @Header('content-type', SCIM_JSON)
  createGroup(@Req() request: ScimRequest, @ScimBody() body: Body_) {
    return this.scim.createGroup(request.scimClient, body, base(request));
  }

  @Get('Groups/:id')
  @Header('content-type', SCIM_JSON)
  getGroup(@Req() request: ScimRequest, @Param('id') id: string, @Query() query: RawQuery) {
    return this.scim.getGroup(request.scimClient, id, base(request), listQuery(query).excludedAttributes);
  }

  @Put('Groups/:id')
  @Header('content-type', SCIM_JSON)
  replaceGroup(@Req() request: ScimRequest, @Param('id') id: string, @ScimBody() body: Body_) {
    return this.scim.replaceGroup(request.scimClient, id, body, base(request));
  }

  @Patch('Groups/:id')
  @Header('content-type', SCIM_JSON)
  patchGroup(@Req() request: ScimRequest, @Param('id') id: string, @ScimBody() body: Body_) {
    return this.scim.patchGroup(request.scimClient, id, body, base(request));
  }

  @Delete('Groups/:id')
  @HttpCode(204)
  deleteGroup(@Req() request: ScimRequest, @Param('id') id: string) {
    return this.scim.deleteGroup(request.scimClient, id);
  }
}
