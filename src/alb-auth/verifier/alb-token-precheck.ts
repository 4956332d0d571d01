import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { ResolvedAlbAuthOptions } from '../alb-auth.options';

export const MAX_TOKEN_LENGTH = 16 * 1024;
const SEGMENT = /^[A-Za-z0-9_-]+={0,2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The cheap checks that run before any key is fetched or signature checked: shape, alg, kid,
 * signer, issuer, client and header expiry, all from the unverified header. The payload's exp,
 * nbf and iss are aws-jwt-verify's to check. aws-jwt-verify does most of
 * them too, but only after it has fetched a key, which an attacker could otherwise make us do.
 */
export function precheckAlbToken(token: string, options: ResolvedAlbAuthOptions, nowMs: number): Record<string, unknown> {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid('token is too long');
  const segments = token.split('.');
  if (segments.length !== 3 || !segments.every((segment) => SEGMENT.test(segment))) {
    throw invalid('token is not three base64url segments');
  }
  const header = decodeSegment(segments[0], 'header');
  if (header.alg !== 'ES256') throw invalid('token alg must be ES256');
  if (typeof header.kid !== 'string' || !UUID.test(header.kid)) throw invalid('token kid is not a UUID');
  if (typeof header.signer !== 'string' || !options.arns.includes(header.signer)) {
    throw new DomainError(ErrorCode.SIGNER_NOT_TRUSTED, 'token signer is not a trusted load balancer');
  }
  if (header.iss !== undefined && header.iss !== options.issuer) throw invalid('token issuer is not trusted');
  if (options.clientIds && (typeof header.client !== 'string' || !options.clientIds.includes(header.client))) {
    throw invalid('token client is not trusted');
  }
  const graceMs = options.graceSeconds * 1000;
  checkExp(header.exp, 'header', nowMs, graceMs);
  return header;
}

/**
 * What aws-jwt-verify leaves to us once the signature holds: an exp somewhere (header or payload;
 * it checks a payload exp, but does not require one) and a subject.
 */
export function postcheckAlbPayload(header: Record<string, unknown>, payload: Record<string, unknown>): void {
  if (header.exp === undefined && payload.exp === undefined) throw invalid('token has no exp');
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw invalid('token has no sub');
}

export function checkExp(exp: unknown, where: string, nowMs: number, graceMs: number): void {
  if (exp === undefined) return;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid(`token ${where} exp is not a number`);
  if (hasExpired(exp, nowMs, graceMs)) throw new DomainError(ErrorCode.TOKEN_EXPIRED, 'token has expired');
}

/** The one expiry rule (ALB and access tokens, fresh or remembered): `exp` (seconds) has passed, beyond the allowed skew. */
export function hasExpired(exp: number, nowMs: number, graceMs: number): boolean {
  return exp * 1000 + graceMs <= nowMs;
}

function decodeSegment(segment: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw invalid(`token ${name} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`token ${name} is not an object`);
  return value as Record<string, unknown>;
}

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.TOKEN_INVALID, message);
}
