import { applyDecorators } from '@nestjs/common';
import { IsBoolean } from 'class-validator';
import { ApiPropertyOptional } from '../../../common/openapi';
import { Optional } from '../../../common/validation/optional.decorator';

/** `carryOverAdmins`: the same field on every body whose change may take admin rights away (not stored). */
export const CarryOverAdminsField = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'carry every active admin over to the directory the new login path leads to: the same identity there, holding the admin groups by hand (not stored)' }),
    Optional(),
    IsBoolean(),
  );

/** `confirmLockout`: save even though admin rights are lost (not stored). */
export const ConfirmLockoutField = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'save even though the change would take your admin rights away, or leave no active admin (not stored)' }),
    Optional(),
    IsBoolean(),
  );
