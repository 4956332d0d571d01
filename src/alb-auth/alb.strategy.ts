import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { AlbTokenVerifier } from './verifier/alb-token-verifier.service';
import { VerifiedAlbToken } from './verifier/alb-token.types';

export const ALB_STRATEGY = 'alb';

/** Passport strategy `alb`: reads the headers and delegates everything to AlbTokenVerifier. */
@Injectable()
export class AlbStrategy extends PassportStrategy(Strategy, ALB_STRATEGY) {
  constructor(private readonly verifier: AlbTokenVerifier) {
    super();
  }

  validate(request: AlbRequest): Promise<VerifiedAlbToken> {
    const accessHeader = this.verifier.accessTokenHeader;
    return this.verifier.verify(
      single(request.headers[this.verifier.tokenHeader]),
      single(request.headers['x-amzn-oidc-identity']),
      accessHeader ? single(request.headers[accessHeader]) : undefined,
    );
  }

  /** The same headers' verified token when the verifier knows it already (AlbTokenVerifier.verifyKnown), else undefined. */
  validateKnown(request: AlbRequest): VerifiedAlbToken | undefined {
    const accessHeader = this.verifier.accessTokenHeader;
    return this.verifier.verifyKnown(
      single(request.headers[this.verifier.tokenHeader]),
      single(request.headers['x-amzn-oidc-identity']),
      accessHeader ? single(request.headers[accessHeader]) : undefined,
    );
  }
}

type AlbRequest = { headers: Record<string, string | string[] | undefined> };

function single(value: string | string[] | undefined): string | undefined {
  // A repeated header is not something an ALB sends: keep it so that verification refuses it.
  return Array.isArray(value) ? value.join(',') : value;
}
