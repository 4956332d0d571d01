import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IS_PUBLIC } from '../alb-auth/decorators/public.decorator';
import { AdminGuard } from './admin.guard';

/**
 * An admin route: the global ALB guard steps aside and AdminGuard authenticates instead
 * (bearer ADMIN_API_TOKEN, or an ALB user in ADMIN_GROUPS).
 */
export const AdminApi = () =>
  applyDecorators(
    SetMetadata(IS_PUBLIC, true),
    UseGuards(AdminGuard),
    ApiBearerAuth('admin-token'),
    ApiSecurity('alb'),
    ApiUnauthorizedResponse({ description: 'TOKEN_MISSING or TOKEN_INVALID: no valid credentials' }),
    ApiForbiddenResponse({ description: 'FORBIDDEN: an ALB user outside ADMIN_GROUPS' }),
  );
