import { ApiProperty } from '@nestjs/swagger';

// GET /api/me and /api/me/claims, as classes so that the OpenAPI document describes them (the
// console's types are generated from it).

export class MeDirectoryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;
}

export class MeView {
  @ApiProperty()
  username!: string;

  @ApiProperty({ type: String, nullable: true })
  displayName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ type: [String] })
  groups!: string[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  attributes!: Record<string, string>;

  @ApiProperty({ type: MeDirectoryView, nullable: true, description: 'the directory the user was found or provisioned in; null without UserSync' })
  directory!: MeDirectoryView | null;
}

export class MeClaimsView {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the verified x-amzn-oidc-data claims' })
  claims!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'the verified access token’s claims, when access tokens are verified' })
  accessClaims!: Record<string, unknown> | null;
}
