import { IsIdentityName } from '../../identity/is-identity-name.decorator';
import { Optional } from '../../../common/validation/optional.decorator';
import { ApiPropertyOptional } from '../../../common/openapi';
import { ArrayMaxSize, IsArray, IsBoolean, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';

export class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'part of the username, display name or email' })
  @Optional()
  @IsString()
  @Length(0, 255)
  search?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    type: [String],
    description: "replaces the user's manual memberships; missing groups are created; connector grants are untouched",
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @IsIdentityName({ each: true })
  groups?: string[];
}
