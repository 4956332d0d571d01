import { IsIdentityName } from '../../identity/is-identity-name.decorator';
import { Optional } from '../../../common/validation/optional.decorator';
import { ApiProperty, ApiPropertyOptional } from '../../../common/openapi';
import { IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';

export class CreateGroupDto {
  @ApiProperty({ example: 'confluence-users' })
  @IsString()
  @IsIdentityName()
  name: string;
}

export class GroupQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'part of the group name' })
  @Optional()
  @IsString()
  @Length(0, 255)
  search?: string;
}
