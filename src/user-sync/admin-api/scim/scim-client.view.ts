import { ApiProperty } from '../../../common/openapi';

export class ScimClientView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'uuid' })
  directoryId!: string;

  @ApiProperty({ enum: ['deactivate', 'delete'], description: 'what DELETE /scim/v2/Users/:id does' })
  deleteAction!: 'deactivate' | 'delete';

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

/** POST /scim-clients: the client and its bearer token, shown only in this answer. */
export class CreatedScimClientView extends ScimClientView {
  @ApiProperty({ description: 'the bearer token for <this service>/scim/v2; stored only as its SHA-256' })
  token!: string;
}
