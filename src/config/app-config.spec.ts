import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigValidationError, loadConfig } from './app-config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
};

describe('loadConfig: local mode fails closed', () => {
  const cases: Array<[string, string | undefined, boolean]> = [
    ['unset', undefined, true],
    ['development', 'development', true],
    ['Development', 'Development', true],
    ['TEST', 'TEST', true],
    ['production', 'production', false],
    ['Production', 'Production', false],
    ['prod', 'prod', false],
    ['staging', 'staging', false],
    ['a typo', 'developmnet', false],
  ];
  for (const [label, nodeEnv, local] of cases) {
    it(`NODE_ENV ${label} without ALB_ARNS: ${local ? 'local mode' : 'refused, naming ALB_ARNS and ALB_ISSUER'}`, () => {
      const env: Record<string, string> = { DATABASE_URL: 'sqlite::memory:', ...(nodeEnv !== undefined && { NODE_ENV: nodeEnv }) };
      if (local) {
        assert.equal(loadConfig(env).localMode, true);
        return;
      }
      const problems = problemsOf(env);
      assert.ok(problems.some((problem) => problem.startsWith('ALB_ARNS: required')), problems.join('\n'));
      assert.ok(problems.some((problem) => problem.startsWith('ALB_ISSUER: required')), problems.join('\n'));
    });
  }
});
