import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { AlbAuthenticator } from '../alb-auth/alb-authenticator.service';
import { AlbPrincipal } from '../alb-auth/alb-principal';
import { DomainError } from '../common/errors/domain-error';
import { DomainExceptionFilter } from '../common/errors/domain-exception.filter';
import { ErrorCode } from '../common/errors/error-code.enum';
import { RequestContext } from '../common/http/request-context';
import { MeBodies } from './me-bodies';
import { MeEarlyAnswer } from './me-early-answer';

const principal = { username: 'jane', groups: ['staff'], token: { sub: 's', claims: { name: 'Jane' }, kid: 'k', signer: 'a', exp: 0 } } as unknown as AlbPrincipal;

function answerWith(outcome: () => AlbPrincipal | Promise<AlbPrincipal>) {
  const calls = { authenticated: 0, errors: [] as unknown[] };
  const authenticator = { authenticate: () => (calls.authenticated++, outcome()) } as unknown as AlbAuthenticator;
  const filter = { answer: (error: unknown) => calls.errors.push(error) } as unknown as DomainExceptionFilter;
  return { early: new MeEarlyAnswer(authenticator, new MeBodies(), filter), calls };
}

function exchange(method: string, url: string, headers: Record<string, string> = {}) {
  const written: { status?: number; headers?: Record<string, unknown>; body?: string; set: Record<string, string> } = { set: {} };
  const response = {
    writeHead(status: number, head: Record<string, unknown>) {
      Object.assign(written, { status, headers: head });
      return this;
    },
    end(body: string) {
      written.body = body;
    },
    setHeader(name: string, value: string) {
      written.set[name] = value;
    },
  } as unknown as ServerResponse;
  const context: RequestContext = { id: 'req-1', startedAt: 0n };
  return { request: { method, url, headers } as unknown as IncomingMessage, response, context, written };
}

describe('MeEarlyAnswer', () => {
  const routing: Array<[string, string, string, Record<string, string>, boolean]> = [
    ['GET /api/me', 'GET', '/api/me', {}, true],
    ['an empty body (content-length: 0)', 'GET', '/api/me', { 'content-length': '0' }, true],
    ['HEAD', 'HEAD', '/api/me', {}, false],
    ['POST', 'POST', '/api/me', {}, false],
    ['a query string', 'GET', '/api/me?x=1', {}, false],
    ['a trailing slash', 'GET', '/api/me/', {}, false],
    ['another route', 'GET', '/api/me/claims', {}, false],
    ['a body', 'GET', '/api/me', { 'content-length': '5' }, false],
    ['a chunked body', 'GET', '/api/me', { 'transfer-encoding': 'chunked' }, false],
  ];
  for (const [name, method, url, headers, taken] of routing) {
    it(`${taken ? 'takes' : 'leaves to the framework'}: ${name}`, () => {
      const { early, calls } = answerWith(async () => principal);
      const { request, response, context } = exchange(method, url, headers);
      assert.equal(early.take(request, response, context), taken);
      assert.equal(calls.authenticated, taken ? 1 : 0);
      assert.equal(context.route, taken ? '/api/me' : undefined);
    });
  }

  // The authenticator answers a known token at once, anything else after a promise: both the same way.
  const modes: Array<[string, <T>(make: () => T) => T | Promise<T>]> = [
    ['after a promise', async (make) => make()],
    ['at once', (make) => make()],
  ];
  for (const [mode, deliver] of modes) {
    it(`answers the principal with its request id (${mode})`, async () => {
      const { early } = answerWith(() => deliver(() => principal));
      const { request, response, context, written } = exchange('GET', '/api/me');
      early.take(request, response, context);
      await new Promise((done) => setImmediate(done));
      assert.equal(written.status, 200);
      assert.equal(written.headers?.['x-request-id'], 'req-1');
      assert.equal(written.headers?.['content-length'], Buffer.byteLength(written.body as string));
      assert.equal(JSON.parse(written.body as string).username, 'jane');
    });

    it(`answers a body that cannot be built through the error filter, never leaving the request hanging (${mode})`, async () => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const { early, calls } = answerWith(() => deliver(() => ({ ...principal, user: circular }) as unknown as AlbPrincipal));
      const { request, response, context, written } = exchange('GET', '/api/me');
      early.take(request, response, context);
      await new Promise((done) => setImmediate(done));
      assert.equal(calls.errors.length, 1);
      assert.match(String(calls.errors[0]), /circular/i);
      assert.equal(written.set['x-request-id'], 'req-1');
      assert.equal(written.status, undefined);
    });

    it(`answers a refusal through the error filter, with its request id (${mode})`, async () => {
      const refusal = new DomainError(ErrorCode.TOKEN_EXPIRED, 'token has expired');
      const { early, calls } = answerWith(() =>
        deliver(() => {
          throw refusal;
        }),
      );
      const { request, response, context, written } = exchange('GET', '/api/me');
      early.take(request, response, context);
      await new Promise((done) => setImmediate(done));
      assert.deepEqual(calls.errors, [refusal]);
      assert.equal(written.set['x-request-id'], 'req-1');
      assert.equal(written.status, undefined);
    });
  }
});
