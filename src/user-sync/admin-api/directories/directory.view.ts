import { ApiProperty } from '../../../common/openapi';

// The admin API's answers about directories, their users and groups, as classes so that the
// OpenAPI document describes them (the console's types are generated from it).

export class DirectoryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ description: 'order in which directories are searched when user sync is off' })
  position!: number;
}

export class UserView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  directoryId!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ type: [String] })
  groups!: string[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  attributes!: Record<string, string>;

  @ApiProperty({ type: String, nullable: true, description: 'the primary key its connector or SCIM client bound it to' })
  externalId!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: Date | null;
}

export class MembershipView {
  @ApiProperty()
  group!: string;

  @ApiProperty({ description: '`manual`, or the id of the connector or SCIM client that granted it' })
  origin!: string;
}

/** GET …/users/:username: the user, with who granted each group. */
export class UserWithMembershipsView extends UserView {
  @ApiProperty({ type: [MembershipView] })
  memberships!: MembershipView[];
}

export class GroupView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'uuid' })
  directoryId!: string;
}

/** GET …/groups: each with its member count. */
export class ListedGroupView extends GroupView {
  @ApiProperty()
  members!: number;
}
