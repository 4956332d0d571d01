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

describe('loadConfig: the ALB key endpoint follows the ARN', () => {
  const arn = (partition: string, region: string, id = '50dc6c495c0c9188') => `arn:${partition}:elasticloadbalancing:${region}:123456789012:loadbalancer/app/my-alb/${id}`;
  const base = { NODE_ENV: 'production', ALB_ISSUER: 'https://issuer.example', DATABASE_URL: 'sqlite::memory:' };
  const cases: Array<[string, string, string]> = [
    ['commercial', arn('aws', 'eu-west-1'), 'https://public-keys.auth.elb.eu-west-1.amazonaws.com'],
    ['GovCloud', arn('aws-us-gov', 'us-gov-west-1'), 'https://s3-us-gov-west-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-west-1'],
    ['China', arn('aws-cn', 'cn-north-1'), 'https://public-keys.auth.elb.cn-north-1.amazonaws.com.cn'],
  ];
  for (const [label, albArn, endpoint] of cases) {
    it(`${label}: ${endpoint}`, () => {
      assert.equal(loadConfig({ ...base, ALB_ARNS: albArn }).alb.keyEndpoint, endpoint);
    });
  }

  it('two ARNs of one region share the endpoint; several regions need ALB_KEY_ENDPOINT', () => {
    const sameRegion = `${arn('aws', 'eu-west-1')},${arn('aws', 'eu-west-1', '0123456789abcdef')}`;
    assert.equal(loadConfig({ ...base, ALB_ARNS: sameRegion }).alb.keyEndpoint, 'https://public-keys.auth.elb.eu-west-1.amazonaws.com');
    const regions = `${arn('aws', 'eu-west-1')},${arn('aws', 'us-east-1')}`;
    assert.ok(problemsOf({ ...base, ALB_ARNS: regions }).some((problem) => problem.startsWith('ALB_KEY_ENDPOINT: required')));
    assert.equal(loadConfig({ ...base, ALB_ARNS: regions, ALB_KEY_ENDPOINT: 'https://keys.example/' }).alb.keyEndpoint, 'https://keys.example');
  });

  it('names a value that is not an ALB ARN, never echoing secrets', () => {
    const problems = problemsOf({ ...base, ALB_ARNS: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188', ADMIN_API_TOKEN: 'short-secret' });
    assert.ok(problems.some((problem) => problem.includes('is not an ALB ARN')));
    assert.ok(problems.some((problem) => problem === 'ADMIN_API_TOKEN: must be at least 32 characters'));
    assert.ok(!problems.join('\n').includes('short-secret'));
  });
});

describe('loadConfig: each variable by its rule (EnvDto), one line per problem', () => {
  it('lists every problem, naming the variable and never the value', () => {
    const problems = problemsOf({
      DATABASE_URL: 'sqlite::memory:',
      PORT: 'eighty',
      ALB_GRACE_SECONDS: '301',
      ALB_KEY_ENDPOINT: 'ftp://keys.example',
      HTTP_ADAPTER: 'koa',
      LOG_LEVEL: 'verbose',
      LOG_FORMAT: 'colour',
      METRICS_TOKEN: 'too-short-secret-value',
    });
    assert.deepEqual(problems.sort(), [
      'ALB_GRACE_SECONDS: must be an integer from 0 to 300',
      'ALB_KEY_ENDPOINT: must be an http(s) URL',
      'HTTP_ADAPTER: must be express or fastify',
      'LOG_FORMAT: must be json, pretty or auto',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      'METRICS_TOKEN: must be at least 32 characters',
      'PORT: must be an integer from 1 to 65535',
    ]);
    assert.ok(!problems.join('\n').includes('too-short-secret-value'));
  });

  it('trims values, treats empty ones as unset, and reads choices in any case', () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', PORT: ' 8081 ', LOG_LEVEL: 'WARN', HTTP_ADAPTER: 'Express', ADMIN_API_TOKEN: '  ', ALB_KEY_ENDPOINT: 'http://127.0.0.1:9999/keys/' });
    assert.deepEqual([config.port, config.logLevel, config.httpAdapter, config.adminApiToken, config.alb.keyEndpoint], [8081, 'warn', 'express', null, 'http://127.0.0.1:9999/keys']);
  });

  it('joins DATABASE_PASSWORD to a mysql:// DATABASE_URL without one, and names the variable when it cannot (never its value)', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://app@db.internal:3306/alb', DATABASE_PASSWORD: 'p@ss:w/rd' });
    assert.deepEqual(config.database, { type: 'mysql', url: 'mysql://app:p%40ss%3Aw%2Frd@db.internal:3306/alb' });
    const problems = problemsOf({ DATABASE_URL: 'mysql://app:old@db.internal:3306/alb', DATABASE_PASSWORD: 'hunter2-secret' });
    assert.ok(problems.includes('DATABASE_PASSWORD: DATABASE_URL already holds a password: give it in one place'), problems.join('\n'));
    assert.ok(!problems.join('\n').includes('hunter2-secret'));
  });

  const formats: Array<[string | undefined, boolean, string]> = [
    [undefined, true, 'pretty'],
    [undefined, false, 'json'],
    ['auto', true, 'pretty'],
    ['JSON', true, 'json'],
    ['pretty', false, 'pretty'],
  ];
  for (const [setting, tty, expected] of formats) {
    it(`LOG_FORMAT ${setting ?? 'unset'} with stdout ${tty ? 'a terminal' : 'not a terminal'}: ${expected} logs`, () => {
      assert.equal(loadConfig({ DATABASE_URL: 'sqlite::memory:', ...(setting && { LOG_FORMAT: setting }) }, tty).logFormat, expected);
    });
  }
});
