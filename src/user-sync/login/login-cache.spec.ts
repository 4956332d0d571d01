import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedAlbToken } from '../../alb-auth/verifier/alb-token.types';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { LoginCache } from './login-cache';

const token = (n: number): VerifiedAlbToken => ({ sub: 'jane-sub', claims: { sub: 'jane-sub', n }, kid: 'k', signer: 'arn', exp: 0 });

describe('LoginCache by verified token', () => {
  it("gives a remembered token's principal with that token, the same object for all its requests", () => {
    const cache = new LoginCache();
    const outcome = LoginCache.principal({ username: 'jane', groups: ['staff'], userId: 'u-1' });
    const [first, second] = [token(1), token(2)];
    assert.equal(cache.principalFor(first), undefined);
    cache.rememberToken(first, outcome);
    cache.rememberToken(second, outcome);
    const one = cache.principalFor(first);
    assert.deepEqual(one, { username: 'jane', groups: ['staff'], userId: 'u-1', token: first });
    assert.equal(cache.principalFor(first), one);
    const two = cache.principalFor(second);
    assert.equal(two?.token, second);
    assert.equal(two?.username, 'jane');
    assert.equal(cache.principalFor(first), one);
    assert.equal(cache.principalFor(second), two);
    cache.clear();
    assert.equal(cache.principalFor(first), undefined);
  });

  it('throws a remembered refusal for every request of its token', () => {
    const cache = new LoginCache();
    const refusal = new DomainError(ErrorCode.NO_APPLICATION_ACCESS, 'no access');
    const refused = token(1);
    cache.rememberToken(refused, LoginCache.refusal(refusal));
    for (let i = 0; i < 3; i++) assert.throws(() => cache.principalFor(refused), (error) => error === refusal);
  });
});
