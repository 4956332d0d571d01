import { IsIdentityName } from '../../identity/is-identity-name.decorator';
import { Optional } from '../../../common/validation/optional.decorator';
import { ApiProperty, ApiPropertyOptional } from '../../../common/openapi';
import { PartialType, OmitType } from '../../../common/validation/mapped-types';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { OnNoMatch, TransformationStep, UpdatePolicy } from '../../store/connector.types';
import { IDP_PRESETS } from '../../mapping/idp-presets';
import { CarryOverAdminsField, ConfirmLockoutField } from '../settings/lockout-fields';

export const ATTRIBUTE_PATTERN = /^(username|displayName|email|groups|attributes\.[A-Za-z0-9_:.-]{1,64})$/;

export class MappingDto {
  @ApiProperty({ example: 'username', description: 'username, displayName, email, groups, or attributes.<name>' })
  @IsString()
  @Matches(ATTRIBUTE_PATTERN, { message: 'attribute must be username, displayName, email, groups or attributes.<name>' })
  attribute: string;

  @ApiPropertyOptional({ type: [String], example: ['upn', 'email'], description: 'claims tried in order; beside a template, used when it lacks a claim' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 256, { each: true })
  sources?: string[];

  @ApiPropertyOptional({ example: '{given_name} {family_name}', description: '{claim} slots; beside sources, used only when every claim it names has a value' })
  @Optional()
  @IsString()
  @Length(1, 1024)
  template?: string;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, example: [{ type: 'lowercase' }] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  // As sent: class-transformer would silently drop keys such as `toString` that the registry must refuse.
  @Transform(({ obj }: { obj: { transformations?: unknown } }) => obj.transformations)
  transformations?: TransformationStep[];

  @ApiPropertyOptional({ enum: ['keep', 'ignore', 'clear', 'reject'], default: 'keep' })
  @Optional()
  @IsIn(['keep', 'ignore', 'clear', 'reject'])
  onNoMatch?: OnNoMatch;

  @ApiPropertyOptional({ enum: ['always', 'onCreate'], default: 'always' })
  @Optional()
  @IsIn(['always', 'onCreate'])
  update?: UpdatePolicy;
}

export class GroupOptionsDto {
  @ApiPropertyOptional({ type: [String], default: [] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsIdentityName({ each: true })
  alwaysAssign?: string[];

  @ApiPropertyOptional({ default: false })
  @Optional()
  @IsBoolean()
  removeUnlisted?: boolean;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  createMissing?: boolean;

  @ApiPropertyOptional({ default: false, description: 'may grant the protected groups (settings protectedGroups, by default the admin groups) from claims and alwaysAssign' })
  @Optional()
  @IsBoolean()
  allowProtectedGroups?: boolean;
}

export class UserOptionsDto {
  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  updateExisting?: boolean;

  @ApiPropertyOptional({ default: false })
  @Optional()
  @IsBoolean()
  reactivateOnLogin?: boolean;

  @ApiPropertyOptional({ default: false, description: 'refuse a new username that looks like an existing one (Unicode TR39 confusables, e.g. Cyrillic "а" for "a")' })
  @Optional()
  @IsBoolean()
  refuseLookalikeUsernames?: boolean;
}

export class ClaimsDto {
  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  claims: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @Optional()
  @IsObject()
  accessClaims?: Record<string, unknown>;
}

/** A connector as exported: no id, no directory. */
export class ConnectorBodyDto {
  @ApiProperty({ example: 'Cognito JIT' })
  @IsString()
  @IsIdentityName()
  name: string;

  @ApiPropertyOptional({ enum: ['jit'], default: 'jit' })
  @Optional()
  @IsIn(['jit'])
  type?: 'jit';

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ default: 'sub', description: 'claim that identifies a user across renames' })
  @Optional()
  @IsString()
  @Length(1, 255)
  primaryKey?: string;

  @ApiProperty({ type: [MappingDto], description: 'required unless a preset gives them' })
  @ValidateIf((body: { preset?: string; mappings?: unknown }) => body.preset === undefined || body.mappings !== undefined)
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MappingDto)
  mappings: MappingDto[];

  @ApiPropertyOptional({ type: GroupOptionsDto })
  @Optional()
  @ValidateNested()
  @Type(() => GroupOptionsDto)
  groups?: GroupOptionsDto;

  @ApiPropertyOptional({ type: UserOptionsDto })
  @Optional()
  @ValidateNested()
  @Type(() => UserOptionsDto)
  users?: UserOptionsDto;

  @ApiPropertyOptional({ description: 'save despite the warnings a save answers with 422 CONFIRMATION_REQUIRED (not stored)' })
  @Optional()
  @IsBoolean()
  confirm?: boolean;

  @CarryOverAdminsField()
  carryOverAdmins?: boolean;

  @ConfirmLockoutField()
  confirmLockout?: boolean;

  @ApiPropertyOptional({ type: () => ClaimsDto, description: 'claims to check the mappings against before saving (the console sends the ones last previewed); not stored' })
  @Optional()
  @ValidateNested()
  @Type(() => ClaimsDto)
  checkClaims?: ClaimsDto;
}

/** POST /connectors and POST /connectors/import: a connector plus `directoryId` or `createDirectory`. */
export class CreateConnectorDto extends ConnectorBodyDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  directoryId?: string;

  @ApiPropertyOptional({ description: 'create a new empty directory named after the connector' })
  @Optional()
  @IsBoolean()
  createDirectory?: boolean;

  @ApiPropertyOptional({ enum: IDP_PRESETS.map((preset) => preset.id), description: 'start from this IdP preset (GET /api/user-sync/presets); the fields given here override it' })
  @Optional()
  @IsIn(IDP_PRESETS.map((preset) => preset.id))
  preset?: string;
}

export class UpdateConnectorDto extends PartialType(OmitType(CreateConnectorDto, ['createDirectory', 'preset'] as const), { skipNullProperties: false }) {}

/** POST /connectors/preview: an unsaved connector body (the console's editor) and sample claims. */
export class PreviewUnsavedDto extends ClaimsDto {
  @ApiProperty({ type: () => ConnectorBodyDto })
  @ValidateNested()
  @Type(() => ConnectorBodyDto)
  connector: ConnectorBodyDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'the saved connector being edited: its grants are what would change' })
  @Optional()
  @IsUUID()
  connectorId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the directory the connector writes into (none: a new, empty one)' })
  @Optional()
  @IsUUID()
  directoryId?: string;
}

export class PreviewDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: { upn: 'a.example@domain.com', sub: '123' } })
  @IsObject()
  claims: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { 'cognito:groups': ['idp-confluence-users'] },
    description: 'the verified access token\'s claims, read by `access:` sources',
  })
  @Optional()
  @IsObject()
  accessClaims?: Record<string, unknown>;
}

