import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthenticatedBy } from '../../alb-auth/decorators/authenticated-by.decorator';
import { ADMIN_API, AdminGuard } from './admin.guard';

/**
 * An admin route: its one metadata (AUTHENTICATED_BY = ADMIN_API) makes the global ALB guard step
 * aside and is what AdminGuard checks before authenticating (bearer ADMIN_API_TOKEN, or an ALB
 * user in ADMIN_GROUPS).
 */
export const AdminApi = () =>
  applyDecorators(
    AuthenticatedBy(ADMIN_API),
    UseGuards(AdminGuard),
    ApiBearerAuth('admin-token'),
    ApiSecurity('alb'),
    ApiUnauthorizedResponse({ description: 'TOKEN_MISSING or TOKEN_INVALID: no valid credentials' }),
    ApiForbiddenResponse({ description: 'FORBIDDEN: an ALB user outside ADMIN_GROUPS' }),
  );
