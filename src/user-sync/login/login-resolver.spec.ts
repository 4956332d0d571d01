import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedAlbToken } from '../../alb-auth/verifier/alb-token.types';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code.enum';
import type { TransactionRunner, TransactionStep } from '../../database/transaction-runner.service';
import type { ConfigSnapshot, ConfigSnapshotService } from '../config/config-snapshot.service';
import { MappingService } from '../mapping/mapping.service';
import { TransformationRegistry } from '../mapping/transformation-registry';
import type { LoginStepInput, LoginStepResult, LoginTransaction } from './login-transaction';
import type { SignInActivity } from './sign-in-activity';
import { LoginResolver } from './login-resolver.service';
import type { LoginOutcome } from './principal';

const token = (n: number, username = 'jane'): VerifiedAlbToken => ({ sub: `${username}-sub`, claims: { sub: `${username}-sub`, username, n }, kid: 'k', signer: 'arn', exp: 0 });

/** The resolver with the real mapping step, sync off; the transaction answers `outcomeOf(username)` and counts its runs. */
function resolver(outcomeOf: (username: string) => LoginOutcome['principal'] | DomainError) {
  const listeners: Array<() => void> = [];
  const snapshot = { settings: { usernameClaim: 'username' }, connector: null } as unknown as ConfigSnapshot;
  const config = { get: async () => snapshot, onChange: (listener: () => void) => listeners.push(listener) } as unknown as ConfigSnapshotService;
  const runs: string[] = [];
  const transaction: TransactionStep<LoginStepInput, LoginStepResult> = {
    run: async (_tx, { login }) => {
      const username = login.via === 'directories' ? login.username : '';
      runs.push(username);
      const answer = outcomeOf(username);
      const outcome = answer instanceof DomainError ? { principal: null, refusal: answer, at: Date.now() } : { principal: answer, refusal: null, at: Date.now() };
      return { outcome, decision: 'lookup' };
    },
  };
  const transactions = { retryingStep: (step: typeof transaction, input: LoginStepInput) => step.run({} as never, input) } as unknown as TransactionRunner;
  const login = new LoginResolver(config, new MappingService(new TransformationRegistry(null)), transactions, transaction as LoginTransaction, { saw: () => undefined } as unknown as SignInActivity);
  return { login, runs, configChanged: () => listeners.forEach((listener) => listener()) };
}

const jane = { username: 'jane', groups: ['staff'], user: { username: 'jane', displayName: 'Jane', email: '', active: true, attributes: {} }, directory: { id: 'd', name: 'D' }, userId: 'u-1' };

describe('LoginResolver: what it remembers', () => {
  it("gives a remembered token's principal with that token, without a promise, the same object for all its requests", async () => {
    const { login, runs, configChanged } = resolver(() => jane);
    const [first, second] = [token(1), token(2)];
    const one = await login.resolve(first);
    assert.deepEqual({ ...one }, { ...jane, token: first });
    assert.equal(login.resolve(first), one);
    const two = await login.resolve(second);
    assert.equal(two.token, second);
    assert.equal(two.username, 'jane');
    assert.deepEqual(runs, ['jane'], 'a second token of the same login is answered from memory');
    assert.equal(login.resolve(first), one);
    assert.equal(login.resolve(second), two);
    configChanged();
    const again = login.resolve(first);
    assert.ok(again instanceof Promise, 'a configuration change forgets every outcome');
    await again;
    assert.deepEqual(runs, ['jane', 'jane']);
  });

  it('throws a remembered refusal for every request of its token', async () => {
    const refusal = new DomainError(ErrorCode.NO_APPLICATION_ACCESS, 'no access');
    const { login, runs } = resolver(() => refusal);
    const refused = token(1);
    await assert.rejects(async () => login.resolve(refused), (error) => error === refusal);
    for (let i = 0; i < 3; i++) assert.throws(() => login.resolve(refused), (error) => error === refusal);
    assert.equal(runs.length, 1);
  });
});
