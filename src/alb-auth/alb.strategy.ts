import { Inject, Injectable, Optional } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { AlbPrincipal, AlbPrincipalResolver, principalFromToken } from './alb-principal';
import { AlbTokenVerifier } from './verifier/alb-token-verifier.service';
import { VerifiedAlbToken } from './verifier/alb-token.types';

export const ALB_STRATEGY = 'alb';

/**
 * Passport strategy `alb`: AlbTokenVerifier checks the headers, the principal resolver port
 * (UserSync's login, when installed) turns the token into the principal. Whichever guard runs it,
 * AlbAuthGuard or a host's own `AuthGuard('alb')`, `request.user` is the same AlbPrincipal.
 */
@Injectable()
export class AlbStrategy extends PassportStrategy(Strategy, ALB_STRATEGY) {
  constructor(
    private readonly verifier: AlbTokenVerifier,
    // A port: UserSync provides its login here; without it the token is the principal.
    @Optional() @Inject(AlbPrincipalResolver) private readonly resolver?: AlbPrincipalResolver,
  ) {
    super();
  }

  /**
   * The request's principal: without a promise when its token and login are both remembered (the
   * service's hottest case), else once the verifier and the resolver have answered. A refusal may be
   * thrown as well as rejected.
   */
  validate(request: AlbRequest): AlbPrincipal | Promise<AlbPrincipal> {
    const accessHeader = this.verifier.accessTokenHeader;
    const token = this.verifier.verify(
      single(request.headers[this.verifier.tokenHeader]),
      single(request.headers['x-amzn-oidc-identity']),
      accessHeader ? single(request.headers[accessHeader]) : undefined,
    );
    return token instanceof Promise ? token.then((verified) => this.principalOf(verified)) : this.principalOf(token);
  }

  private principalOf(token: VerifiedAlbToken): AlbPrincipal | Promise<AlbPrincipal> {
    const principal = this.resolver ? this.resolver.resolve(token) : principalFromToken(token);
    return principal instanceof Promise ? principal.then(issued) : issued(principal);
  }
}

/** Principals this strategy handed out: a `request.user` set by anything else is never taken for one. */
const ISSUED = new WeakSet<AlbPrincipal>();

function issued(principal: AlbPrincipal): AlbPrincipal {
  ISSUED.add(principal);
  return principal;
}

/** Whether `user` is a principal the `alb` strategy handed out (another strategy's user, or a look-alike, is not). */
export function isAlbPrincipal(user: unknown): user is AlbPrincipal {
  return typeof user === 'object' && user !== null && ISSUED.has(user as AlbPrincipal);
}

type AlbRequest = { headers: Record<string, string | string[] | undefined> };

function single(value: string | string[] | undefined): string | undefined {
  // A repeated header is not something an ALB sends: keep it so that verification refuses it.
  return Array.isArray(value) ? value.join(',') : value;
}
