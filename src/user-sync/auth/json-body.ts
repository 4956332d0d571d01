import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { isPrototypeName } from '../../common/validation/prototype-keys';

/** Deeper bodies are refused: no admin body needs more, and deep ones cost validation dearly. */
export const MAX_JSON_DEPTH = 32;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Admin writes take `application/json` only: a cross-site form (urlencoded, multipart, text/plain)
 * can never reach them, whatever cookies or ALB session the browser carries.
 */
export function assertJsonBody(request: { method: string; headers: Record<string, string | string[] | undefined>; body?: unknown; query?: unknown }): void {
  // The query's keys as the body's: a pipe would strip `?constructor=` silently.
  const queryProblem = bodyProblem(request.query, MAX_JSON_DEPTH);
  if (queryProblem) throw new DomainError(ErrorCode.VALIDATION_FAILED, `query ${queryProblem}`);
  if (!BODY_METHODS.has(request.method.toUpperCase())) return;
  const type = request.headers['content-type'];
  // An action without a payload (`curl -X POST …/preview`) sends no body and no type: nothing to
  // refuse when it carries its own credential (Authorization), which no page of another site can
  // attach. With only the browser's ALB session it must still be JSON (a beacon sends no type).
  if (type === undefined && !hasBody(request.headers) && request.headers.authorization !== undefined) return;
  if (typeof type !== 'string' || !JSON_TYPE.test(type)) {
    throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Admin requests with a body must be Content-Type: application/json');
  }
  const problem = bodyProblem(request.body, MAX_JSON_DEPTH);
  if (problem) throw new DomainError(ErrorCode.VALIDATION_FAILED, problem);
}

/** Whether the request carries a body (RFC 9112 §6.3: a length above 0, or a transfer coding). */
function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && String(length).trim() !== '0';
}

/**
 * Too deep, or a key naming a prototype (`constructor`, `prototype`, `__proto__`, any case, at any
 * depth): refused before any pipe strips it silently or a library merges it. Iterative, so a body
 * nested thousands deep costs no stack.
 */
function bodyProblem(value: unknown, limit: number): string | null {
  const stack: Array<[unknown, number, string]> = [[value, 0, '']];
  while (stack.length > 0) {
    const [current, depth, path] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return `The body is nested deeper than ${limit} levels`;
    for (const [key, child] of Object.entries(current)) {
      const at = Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (isPrototypeName(key)) return `${at.slice(0, 200)}: the key "${key.slice(0, 64)}" is not allowed`;
      stack.push([child, depth + 1, at]);
    }
  }
  return null;
}
