import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedAlbToken } from '../../alb-auth/verifier/alb-token.types';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { LoginCache } from './login-cache';

const token = (n: number): VerifiedAlbToken => ({ sub: 'jane-sub', claims: { sub: 'jane-sub', n }, kid: 'k', signer: 'arn', exp: 0 });

describe('LoginCache outcomes', () => {
  it("unwraps a principal with the request's own token, the same object for that token's requests", () => {
    const outcome = LoginCache.principal({ username: 'jane', groups: ['staff'], userId: 'u-1' });
    const [first, second] = [token(1), token(2)];
    const one = outcome.unwrap(first);
    assert.deepEqual(one, { username: 'jane', groups: ['staff'], userId: 'u-1', token: first });
    assert.equal(outcome.unwrap(first), one);
    const two = outcome.unwrap(second);
    assert.equal(two.token, second);
    assert.equal(two.username, 'jane');
    assert.equal(outcome.unwrap(first).token, first);
    assert.equal(outcome.unwrap(second).token, second);
  });

  it('throws a remembered refusal on every unwrap', () => {
    const refusal = new DomainError(ErrorCode.NO_APPLICATION_ACCESS, 'no access');
    const outcome = LoginCache.refusal(refusal);
    for (let i = 0; i < 3; i++) assert.throws(() => outcome.unwrap(token(1)), (error) => error === refusal);
  });
});
