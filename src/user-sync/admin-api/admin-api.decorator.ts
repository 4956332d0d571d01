import { applyDecorators, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '../../common/openapi';
import { AuthenticatedBy } from '../../alb-auth/decorators/authenticated-by.decorator';
import { DomainExceptionFilter } from '../../common/errors/domain-exception.filter';
import { ADMIN_API, AdminGuard } from './admin.guard';

/**
 * An admin route: its one metadata (AUTHENTICATED_BY = ADMIN_API) makes the global ALB guard step
 * aside and is what AdminGuard checks before authenticating (bearer ADMIN_API_TOKEN, or an ALB
 * user in ADMIN_GROUPS). Its error filter travels with it, and its bodies and queries are
 * AdminBody/AdminQuery parameters validated by its own pipe, so the admin API validates and answers
 * the contract's JSON whether a host app registers its own pipes and filters or none.
 */
export const AdminApi = () =>
  applyDecorators(
    AuthenticatedBy(ADMIN_API),
    UseGuards(AdminGuard),
    UseFilters(DomainExceptionFilter),
    ApiBearerAuth('admin-token'),
    ApiSecurity('alb'),
    ApiUnauthorizedResponse({ description: 'TOKEN_MISSING or TOKEN_INVALID: no valid credentials' }),
    ApiForbiddenResponse({ description: 'FORBIDDEN: an ALB user outside ADMIN_GROUPS' }),
  );
