import { ApiProperty, ApiPropertyOptional } from '../../common/openapi';
import type { ConnectorGroupOptions, Mapping } from '../store/connector.types';
import type { IdpPreset } from '../mapping/idp-presets';
import { MappingView } from './connectors/connector.view';

// GET /presets, as classes so that the OpenAPI document describes them (the console's types are generated from it).

export class PresetGroupsView {
  @ApiPropertyOptional({ type: [String] })
  alwaysAssign?: string[];

  @ApiPropertyOptional()
  removeUnlisted?: boolean;

  @ApiPropertyOptional()
  createMissing?: boolean;

  @ApiPropertyOptional()
  allowProtectedGroups?: boolean;
}

export class PresetConnectorView {
  @ApiProperty()
  primaryKey!: string;

  @ApiProperty({ type: [MappingView] })
  mappings!: Mapping[];

  @ApiPropertyOptional({ type: PresetGroupsView })
  groups?: Partial<ConnectorGroupOptions>;
}

export class PresetSampleView {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'as the ALB forwards them (x-amzn-oidc-data)' })
  claims!: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'its access token’s' })
  accessClaims?: Record<string, unknown>;
}

export class PresetView implements IdpPreset {
  @ApiProperty({ example: 'cognito' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: PresetConnectorView, description: 'POST /connectors { preset, name, … } starts from it' })
  connector!: PresetConnectorView;

  @ApiProperty({ type: String, nullable: true, description: 'for the settings’ logout.redirectUrl: replace each {placeholder}' })
  logoutUrl!: string | null;

  @ApiProperty({ type: [String] })
  notes!: string[];

  @ApiProperty({ type: [String], description: 'the documentation the claim names come from' })
  references!: string[];

  @ApiProperty({ type: PresetSampleView })
  sample!: PresetSampleView;
}
