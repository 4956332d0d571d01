import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { OnNoMatch, TransformationStep, UpdatePolicy } from '../connector.types';

export const ATTRIBUTE_PATTERN = /^(username|displayName|email|groups|attributes\.[A-Za-z0-9_:.-]{1,64})$/;

export class MappingDto {
  @ApiProperty({ example: 'username', description: 'username, displayName, email, groups, or attributes.<name>' })
  @IsString()
  @Matches(ATTRIBUTE_PATTERN, { message: 'attribute must be username, displayName, email, groups or attributes.<name>' })
  attribute: string;

  @ApiPropertyOptional({ type: [String], example: ['upn', 'email'], description: 'claims tried in order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 256, { each: true })
  sources?: string[];

  @ApiPropertyOptional({ example: '{given_name} {family_name}' })
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  template?: string;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, example: [{ type: 'lowercase' }] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  transformations?: TransformationStep[];

  @ApiPropertyOptional({ enum: ['keep', 'ignore', 'clear', 'reject'], default: 'keep' })
  @IsOptional()
  @IsIn(['keep', 'ignore', 'clear', 'reject'])
  onNoMatch?: OnNoMatch;

  @ApiPropertyOptional({ enum: ['always', 'onCreate'], default: 'always' })
  @IsOptional()
  @IsIn(['always', 'onCreate'])
  update?: UpdatePolicy;
}

export class GroupOptionsDto {
  @ApiPropertyOptional({ type: [String], default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 255, { each: true })
  alwaysAssign?: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  removeUnlisted?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  createMissing?: boolean;
}

export class UserOptionsDto {
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  updateExisting?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  reactivateOnLogin?: boolean;
}

/** A connector as exported: no id, no directory. */
export class ConnectorBodyDto {
  @ApiProperty({ example: 'Cognito JIT' })
  @IsString()
  @Length(1, 255)
  name: string;

  @ApiPropertyOptional({ enum: ['jit'], default: 'jit' })
  @IsOptional()
  @IsIn(['jit'])
  type?: 'jit';

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ default: 'sub', description: 'claim that identifies a user across renames' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  primaryKey?: string;

  @ApiProperty({ type: [MappingDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MappingDto)
  mappings: MappingDto[];

  @ApiPropertyOptional({ type: GroupOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => GroupOptionsDto)
  groups?: GroupOptionsDto;

  @ApiPropertyOptional({ type: UserOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UserOptionsDto)
  users?: UserOptionsDto;
}

/** POST /connectors and POST /connectors/import: a connector plus `directoryId` or `createDirectory`. */
export class CreateConnectorDto extends ConnectorBodyDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  directoryId?: string;

  @ApiPropertyOptional({ description: 'create a new empty directory named after the connector' })
  @IsOptional()
  @IsBoolean()
  createDirectory?: boolean;
}

export class UpdateConnectorDto extends PartialType(OmitType(CreateConnectorDto, ['createDirectory'] as const)) {}

export class PreviewDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: { upn: 'a.example@domain.com', sub: '123' } })
  @IsObject()
  claims: Record<string, unknown>;
}

