import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';

/** Deeper bodies are refused: no admin body needs more, and deep ones cost validation dearly. */
export const MAX_JSON_DEPTH = 32;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Admin writes take `application/json` only: a cross-site form (urlencoded, multipart, text/plain)
 * can never reach them, whatever cookies or ALB session the browser carries.
 */
export function assertJsonBody(request: { method: string; headers: Record<string, string | string[] | undefined>; body?: unknown }): void {
  if (!BODY_METHODS.has(request.method.toUpperCase())) return;
  const type = request.headers['content-type'];
  // An action without a payload (`curl -X POST …/preview`) sends no body and no type: nothing to
  // refuse. A form always names its type, even empty, so it is refused still.
  if (type === undefined && !hasBody(request.headers)) return;
  if (typeof type !== 'string' || !JSON_TYPE.test(type)) {
    throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Admin requests with a body must be Content-Type: application/json');
  }
  if (depthExceeds(request.body, MAX_JSON_DEPTH)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `The body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/** Whether the request carries a body (RFC 9112 §6.3: a length above 0, or a transfer coding). */
function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && String(length).trim() !== '0';
}

/** Iterative, so a body nested thousands deep costs no stack. */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
