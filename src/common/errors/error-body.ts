import { STATUS_CODES } from 'node:http';
import { ErrorCode } from './error-code.enum';

/** The contract's error JSON (CONTRACT.md §5). */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: string;
  /** The request's id (also in the x-request-id header and the request log line). */
  requestId?: string;
  /** CONFIRMATION_REQUIRED: each warning the request must confirm. */
  warnings?: string[];
}

export function errorBody(statusCode: number, code: ErrorCode | string, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code };
}
