import { applyDecorators, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '../../common/openapi';
import { AuthenticatedBy } from '../../alb-auth/decorators/authenticated-by.decorator';
import { DomainExceptionFilter } from '../../common/errors/domain-exception.filter';
import { createValidationPipe } from '../../common/validation/app-validation.pipe';
import { ADMIN_API, AdminGuard } from './admin.guard';

/**
 * An admin route: its one metadata (AUTHENTICATED_BY = ADMIN_API) makes the global ALB guard step
 * aside and is what AdminGuard checks before authenticating (bearer ADMIN_API_TOKEN, or an ALB
 * user in ADMIN_GROUPS). Its own validation pipe and error filter travel with it, so the admin API
 * validates and answers the contract's JSON in a host app that registers neither.
 */
export const AdminApi = () =>
  applyDecorators(
    AuthenticatedBy(ADMIN_API),
    UseGuards(AdminGuard),
    UsePipes(createValidationPipe()),
    UseFilters(DomainExceptionFilter),
    ApiBearerAuth('admin-token'),
    ApiSecurity('alb'),
    ApiUnauthorizedResponse({ description: 'TOKEN_MISSING or TOKEN_INVALID: no valid credentials' }),
    ApiForbiddenResponse({ description: 'FORBIDDEN: an ALB user outside ADMIN_GROUPS' }),
  );
