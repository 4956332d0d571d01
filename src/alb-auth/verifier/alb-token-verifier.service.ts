import { Inject, Injectable } from '@nestjs/common';
import { AlbJwtVerifier } from 'aws-jwt-verify';
import { AlbJwtInvalidSignerError, JwtExpiredError, JwtInvalidIssuerError, JwtNotBeforeError } from 'aws-jwt-verify/error';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { RESOLVED_ALB_AUTH_OPTIONS, ResolvedAlbAuthOptions } from '../alb-auth.options';
import { AlbKeyStore } from './alb-key-store';
import { postcheckAlbPayload, precheckAlbToken } from './alb-token-precheck';
import { VerifiedAlbToken } from './alb-token.types';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Verifies the ALB's signed token: cheap header checks, then the verified-token cache, then
 * aws-jwt-verify (signature, signer, issuer, client, exp/nbf) with our key store. Knows nothing
 * of HTTP or Passport, so it is tested on its own.
 */
@Injectable()
export class AlbTokenVerifier {
  private readonly verifier: { verify(jwt: string): Promise<unknown> };
  private readonly cache: VerifiedTokenCache;

  constructor(
    @Inject(RESOLVED_ALB_AUTH_OPTIONS) private readonly options: ResolvedAlbAuthOptions,
    readonly keyStore: AlbKeyStore,
  ) {
    this.verifier = AlbJwtVerifier.create(
      {
        albArn: options.arns,
        issuer: options.issuer,
        clientId: options.clientIds,
        jwksUri: options.keyEndpoint,
        graceSeconds: options.graceSeconds,
      },
      { jwksCache: keyStore },
    );
    this.cache = new VerifiedTokenCache(options.verifiedTokenCacheSize);
  }

  get tokenHeader(): string {
    return this.options.tokenHeader;
  }

  /**
   * @param token the value of the token header, as received
   * @param identity the unsigned `x-amzn-oidc-identity` header, when present: it must equal `sub`
   */
  async verify(token: string | undefined, identity?: string): Promise<VerifiedAlbToken> {
    if (!token) throw new DomainError(ErrorCode.TOKEN_MISSING, `No token in the ${this.options.tokenHeader} header`);
    const now = Date.now();
    const key = this.cache.key(token);
    let verified = this.cache.get(key);
    if (verified && verified.exp * 1000 + this.options.graceSeconds * 1000 <= now) {
      this.cache.delete(key);
      throw new DomainError(ErrorCode.TOKEN_EXPIRED, 'token has expired');
    }
    if (!verified) {
      verified = await this.verifyFresh(token, now);
      this.cache.set(key, verified);
    }
    if (identity !== undefined && identity !== verified.sub) {
      throw new DomainError(ErrorCode.TOKEN_INVALID, 'x-amzn-oidc-identity does not match the token sub');
    }
    return verified;
  }

  private async verifyFresh(token: string, now: number): Promise<VerifiedAlbToken> {
    const header = precheckAlbToken(token, this.options, now);
    let payload: Record<string, unknown>;
    try {
      payload = (await this.verifier.verify(token)) as Record<string, unknown>;
    } catch (error) {
      throw toDomainError(error);
    }
    postcheckAlbPayload(header, payload);
    const exps = [header.exp, payload.exp].filter((exp): exp is number => typeof exp === 'number');
    return {
      sub: payload.sub as string,
      claims: payload,
      kid: header.kid as string,
      signer: header.signer as string,
      exp: Math.min(...exps),
    };
  }
}

function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof JwtExpiredError) return new DomainError(ErrorCode.TOKEN_EXPIRED, 'token has expired');
  if (error instanceof AlbJwtInvalidSignerError) {
    return new DomainError(ErrorCode.SIGNER_NOT_TRUSTED, 'token signer is not a trusted load balancer');
  }
  if (error instanceof JwtNotBeforeError) return new DomainError(ErrorCode.TOKEN_INVALID, 'token is not valid yet (nbf)');
  if (error instanceof JwtInvalidIssuerError) return new DomainError(ErrorCode.TOKEN_INVALID, 'token issuer is not trusted');
  const message = error instanceof Error && error.message === 'Invalid signature' ? 'token signature is invalid' : 'token is invalid';
  return new DomainError(ErrorCode.TOKEN_INVALID, message);
}
