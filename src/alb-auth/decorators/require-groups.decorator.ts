import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '../../common/openapi';

export const REQUIRED_GROUPS = Symbol('alb-usersync:required-groups');

/** The authenticated user must be in at least one of these groups, else 403 FORBIDDEN. */
export const RequireGroups = (...groups: string[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_GROUPS, groups),
    ApiForbiddenResponse({ description: `FORBIDDEN unless in one of: ${groups.join(', ')}` }),
  );
