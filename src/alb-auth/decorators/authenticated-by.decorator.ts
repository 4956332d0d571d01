import { SetMetadata } from '@nestjs/common';

export const AUTHENTICATED_BY = Symbol('alb-usersync:authenticated-by');

/**
 * The route is authenticated by a guard of its own, named here (UserSync's admin API: a bearer
 * token or an admin's ALB login): AlbAuthGuard steps aside. Unlike @Public, the route is not
 * open; the named guard must read this metadata and authenticate.
 */
export const AuthenticatedBy = (guard: string) => SetMetadata(AUTHENTICATED_BY, guard);
