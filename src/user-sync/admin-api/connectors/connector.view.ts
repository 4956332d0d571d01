import { ApiProperty, ApiPropertyOptional } from '../../../common/openapi';
import type { ErrorCode } from '../../../common/errors/error-code.enum';
import type { LoginDecision, PlannedUser } from '../../login/login-plan';
import type { LoginPreview } from '../../login/login-preview';
import type { ConnectorGroupOptions, ConnectorUserOptions, Mapping, OnNoMatch, TransformationStep, UpdatePolicy } from '../../store/connector.types';

// The admin API's answers about connectors, as classes so that the OpenAPI document describes them
// (the console's types are generated from it: web/admin/src/api-schema.ts).

/** A transformation step: its type (GET /api/user-sync/transformations) and that type's options beside it. */
const TRANSFORMATION_STEP = {
  type: 'object' as const,
  required: ['type'],
  properties: { type: { type: 'string' as const, example: 'regexReplace' } },
  additionalProperties: true,
};

export class MappingView implements Mapping {
  @ApiProperty({ example: 'username', description: 'username, displayName, email, groups, or attributes.<name>' })
  attribute!: string;

  @ApiPropertyOptional({ type: [String], description: 'claims tried in order (`access:<claim>` reads the access token)' })
  sources?: string[];

  @ApiPropertyOptional({ example: '{given_name} {family_name}' })
  template?: string;

  @ApiPropertyOptional({ type: 'array', items: TRANSFORMATION_STEP })
  transformations?: TransformationStep[];

  @ApiPropertyOptional({ enum: ['keep', 'ignore', 'clear', 'reject'] })
  onNoMatch?: OnNoMatch;

  @ApiPropertyOptional({ enum: ['always', 'onCreate'] })
  update?: UpdatePolicy;
}

export class ConnectorGroupsView implements ConnectorGroupOptions {
  @ApiProperty({ type: [String] })
  alwaysAssign!: string[];

  @ApiProperty()
  removeUnlisted!: boolean;

  @ApiProperty()
  createMissing!: boolean;

  @ApiPropertyOptional()
  allowProtectedGroups?: boolean;
}

export class ConnectorUsersView implements ConnectorUserOptions {
  @ApiProperty()
  updateExisting!: boolean;

  @ApiProperty()
  reactivateOnLogin!: boolean;

  @ApiPropertyOptional()
  refuseLookalikeUsernames?: boolean;
}

/** GET /connectors/:id/export: a connector without its id, directory and version. */
export class ConnectorExportView {
  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ['jit'] })
  type!: 'jit';

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ example: 'sub', description: 'the claim whose value is the user’s external id' })
  primaryKey!: string;

  @ApiProperty({ type: [MappingView] })
  mappings!: Mapping[];

  @ApiProperty({ type: ConnectorGroupsView })
  groups!: ConnectorGroupOptions;

  @ApiProperty({ type: ConnectorUsersView })
  users!: ConnectorUserOptions;
}

export class ConnectorView extends ConnectorExportView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  directoryId!: string;

  @ApiProperty({ description: 'raised by every change' })
  version!: number;
}

export class ConnectorStatsView {
  @ApiProperty({ description: 'users in its directory' })
  users!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: Date | null;
}

/** GET /connectors: each with its directory's figures. */
export class ListedConnectorView extends ConnectorView {
  @ApiProperty({ type: ConnectorStatsView })
  stats!: ConnectorStatsView;
}

/** A create or update answer: the connector, and the warnings it was saved despite (`confirm: true`). */
export class SavedConnectorView extends ConnectorView {
  @ApiProperty({ type: [String] })
  warnings!: string[];
}

export class PreviewUserView implements PlannedUser {
  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  attributes!: Record<string, string>;

  @ApiProperty({ type: String, nullable: true })
  externalId!: string | null;
}

export class PreviewRefusalView {
  @ApiProperty({ type: String, description: 'an error code (docs/routes.md)' })
  code!: ErrorCode;

  @ApiProperty()
  message!: string;
}

/** POST /connectors/preview and /connectors/:id/preview: what a login with these claims would do; writes nothing. */
export class PreviewView implements LoginPreview {
  @ApiProperty({ type: PreviewUserView, nullable: true })
  user!: PlannedUser | null;

  @ApiProperty({ type: [String], description: 'every group of the user after the login' })
  groups!: string[];

  @ApiProperty({ description: 'whether the user may use the application (an access group, or none required)' })
  access!: boolean;

  @ApiProperty({ enum: ['create', 'update', 'rename', 'unchanged', 'refuse'] })
  decision!: LoginDecision;

  @ApiPropertyOptional({ type: PreviewRefusalView })
  reason?: PreviewRefusalView;

  @ApiProperty({ type: [String], description: 'fields of an existing user that change' })
  changes!: string[];

  @ApiProperty({ type: [String] })
  groupsAdded!: string[];

  @ApiProperty({ type: [String] })
  groupsRemoved!: string[];

  @ApiProperty({ type: [String], description: 'protected groups asked for and not granted' })
  groupsProtected!: string[];

  @ApiProperty({ type: [String] })
  warnings!: string[];
}
