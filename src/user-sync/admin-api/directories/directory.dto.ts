import { IsIdentityName } from '../../identity/is-identity-name.decorator';
import { Optional } from '../../../common/validation/optional.decorator';
import { ApiProperty, ApiPropertyOptional } from '../../../common/openapi';
import { PartialType } from '../../../common/validation/mapped-types';
import { IsBoolean, IsInt, IsString, Length, Max, MaxLength, Min } from 'class-validator';

export class CreateDirectoryDto {
  @ApiProperty({ example: 'Cognito users' })
  @IsString()
  @IsIdentityName()
  name: string;

  @ApiPropertyOptional({ default: '' })
  @Optional()
  @IsString()
  @MaxLength(1024)
  description?: string;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'search order when user sync is off (default: last)' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;
}

export class UpdateDirectoryDto extends PartialType(CreateDirectoryDto, { skipNullProperties: false }) {}
