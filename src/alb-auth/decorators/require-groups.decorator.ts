import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse } from '../../common/openapi';
import { REQUIRED_GROUPS, RequireGroupsGuard } from '../require-groups.guard';

export { REQUIRED_GROUPS };

/**
 * The authenticated ALB user must be in at least one of these groups, else 403 FORBIDDEN. It
 * brings its own guard, so no other guard can skip it: under AlbAuthGuard, a host's
 * `@UseGuards(AuthGuard('alb'))`, or none at all (it then authenticates the request itself).
 */
export const RequireGroups = (...groups: string[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_GROUPS, groups),
    UseGuards(RequireGroupsGuard),
    ApiForbiddenResponse({ description: `FORBIDDEN unless in one of: ${groups.join(', ')}` }),
  );
