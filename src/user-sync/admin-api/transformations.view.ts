import { ApiProperty } from '../../common/openapi';
import type { TransformationDescription } from '../mapping/transformation-registry';

// GET /transformations, as classes so that the OpenAPI document describes them (the console's types are generated from it).

export class TransformationOptionView {
  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ['string', 'integer', 'boolean', 'stringMap'] })
  type!: string;

  @ApiProperty()
  required!: boolean;

  @ApiProperty()
  description!: string;
}

export class TransformationView implements TransformationDescription {
  @ApiProperty({ example: 'lowercase' })
  type!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'false: a host app’s own (UserSyncModule.forRoot({ transformations }))' })
  builtIn!: boolean;

  @ApiProperty({ type: [TransformationOptionView] })
  options!: TransformationOptionView[];
}
