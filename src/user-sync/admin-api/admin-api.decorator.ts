import { applyDecorators, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '../../common/openapi';
import { DomainExceptionFilter } from '../../common/errors/domain-exception.filter';
import { Authenticated } from '../auth/authenticated.decorator';

/**
 * An admin route: @Authenticated('admin') (bearer ADMIN_API_TOKEN, or an ALB user in ADMIN_GROUPS,
 * checked by AuthenticationService; JSON bodies only). Its error filter travels with it, and its bodies and queries are
 * AdminBody/AdminQuery parameters validated by its own pipe, so the admin API validates and answers
 * the contract's JSON whether a host app registers its own pipes and filters or none.
 */
export const AdminApi = () =>
  applyDecorators(
    Authenticated('admin'),
    UseFilters(DomainExceptionFilter),
    ApiBearerAuth('admin-token'),
    ApiSecurity('alb'),
    ApiUnauthorizedResponse({ description: 'TOKEN_MISSING or TOKEN_INVALID: no valid credentials' }),
    ApiForbiddenResponse({ description: 'FORBIDDEN: an ALB user outside ADMIN_GROUPS' }),
  );
