import { Injectable } from '@nestjs/common';
import { requestContext } from '../common/http/request-context';
import { AlbPrincipal } from './alb-principal';
import { AlbStrategy, isAlbPrincipal } from './alb.strategy';

type AuthenticatedRequest = { headers: Record<string, string | string[] | undefined>; user?: unknown };

/**
 * Who is making this request, according to the ALB: the `alb` strategy verifies the token and
 * resolves the principal, which goes on the request as `request.user`. Every guard that needs an ALB
 * user asks this service (AlbAuthGuard, RequireGroupsGuard, UserSync's admin access), and so does
 * the service's GET /api/me answered before routing. A host's own `AuthGuard('alb')` runs the same
 * strategy through Passport: a principal it put on the request is taken as it is.
 */
@Injectable()
export class AlbAuthenticator {
  constructor(private readonly strategy: AlbStrategy) {}

  /** The request's principal, without a promise when it is remembered; a refusal may be thrown or rejected. */
  authenticate(request: AuthenticatedRequest): AlbPrincipal | Promise<AlbPrincipal> {
    if (isAlbPrincipal(request.user)) return request.user;
    const principal = this.strategy.validate(request);
    return principal instanceof Promise ? principal.then((resolved) => signedIn(request, resolved)) : signedIn(request, principal);
  }
}

/** The principal on the request (as Passport puts it), its user id noted for the request log. */
function signedIn(request: AuthenticatedRequest, principal: AlbPrincipal): AlbPrincipal {
  request.user = principal;
  const logged = requestContext(request);
  if (logged && typeof principal.userId === 'string') logged.userId = principal.userId;
  return principal;
}
