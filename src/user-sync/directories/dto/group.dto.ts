import { Optional } from '../../../common/validation/optional.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';

export class CreateGroupDto {
  @ApiProperty({ example: 'confluence-users' })
  @IsString()
  @Length(1, 255)
  name: string;
}

export class GroupQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'part of the group name' })
  @Optional()
  @IsString()
  @Length(0, 255)
  search?: string;
}
