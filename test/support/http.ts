import assert from 'node:assert/strict';
import request from 'supertest';

/** Asserts the contract's error JSON `{ statusCode, error, message, code }`. */
export function assertError(response: request.Response, status: number, code: string, messagePart?: string): void {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status} ${JSON.stringify(response.body)}`);
  assert.equal(response.body.code, code);
  assert.equal(response.body.statusCode, status);
  assert.equal(typeof response.body.error, 'string');
  assert.equal(typeof response.body.message, 'string');
  if (messagePart) assert.ok(String(response.body.message).includes(messagePart), `message "${response.body.message}" lacks "${messagePart}"`);
}

export function assertStatus(response: request.Response, status: number): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
}
