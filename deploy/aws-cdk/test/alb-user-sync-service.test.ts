import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AlbUserSyncService, AlbUserSyncServiceProps } from '../lib/alb-user-sync-service';

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b6a1a1e-1111-4444-8888-000000000000';

/** A synthesized stack with the construct, the image from a registry (no asset to stage). */
function synth(identityProvider: (stack: Stack) => AlbUserSyncServiceProps['identityProvider']): { template: Template; json: string } {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  new AlbUserSyncService(stack, 'AlbUserSync', {
    domainName: 'sso.example.com',
    certificateArn: CERTIFICATE,
    identityProvider: identityProvider(stack),
    image: ecs.ContainerImage.fromRegistry('alb-usersync:test'),
  });
  const template = Template.fromStack(stack);
  return { template, json: JSON.stringify(template.toJSON()) };
}

const cognito = () => synth(() => ({ kind: 'cognito', domainPrefix: 'example-sso' }));
const oidc = () =>
  synth((stack) => ({
    kind: 'oidc',
    issuer: 'https://idp.example.com',
    authorizationEndpoint: 'https://idp.example.com/authorize',
    tokenEndpoint: 'https://idp.example.com/token',
    userInfoEndpoint: 'https://idp.example.com/userinfo',
    clientId: 'alb-client',
    clientSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'OidcSecret', 'alb-usersync/oidc-client-secret'),
  }));

type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (template: Template, type: string) => Object.entries(template.findResources(type)) as Array<[string, Resource]>;
const logicalIdOf = (template: Template, type: string) => resources(template, type)[0][0];

/** The HTTPS listener's actions, in order. */
function httpsActions(template: Template): Array<Record<string, unknown>> {
  const listener = resources(template, 'AWS::ElasticLoadBalancingV2::Listener').find(([, resource]) => resource.Properties.Port === 443);
  assert.ok(listener, 'an HTTPS listener');
  return listener[1].Properties.DefaultActions as Array<Record<string, unknown>>;
}

function containerEnvironment(template: Template): Map<string, unknown> {
  const [[, task]] = resources(template, 'AWS::ECS::TaskDefinition');
  const [container] = task.Properties.ContainerDefinitions as Array<{ Environment: Array<{ Name: string; Value: unknown }> }>;
  return new Map(container.Environment.map((entry) => [entry.Name, entry.Value]));
}

function containerSecrets(template: Template): string[] {
  const [[, task]] = resources(template, 'AWS::ECS::TaskDefinition');
  const [container] = task.Properties.ContainerDefinitions as Array<{ Secrets: Array<{ Name: string }> }>;
  return container.Secrets.map((secret) => secret.Name).sort();
}

describe('AlbUserSyncService: what CloudFormation gets', () => {
  for (const [variant, make, authenticate] of [
    ['Cognito', cognito, 'authenticate-cognito'],
    ['OIDC', oidc, 'authenticate-oidc'],
  ] as const) {
    describe(variant, () => {
      const { template, json } = make();

      it('authenticates on the HTTPS listener, then forwards to the service’s target group; HTTP redirects to HTTPS', () => {
        const [first, second] = httpsActions(template);
        assert.equal(first.Type, authenticate);
        assert.equal(first.Order, 1);
        assert.equal(second.Type, 'forward');
        assert.equal(second.Order, 2);
        assert.deepEqual(second.TargetGroupArn, { Ref: logicalIdOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup') });
        template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
          Port: 80,
          DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443' }) })],
        });
        template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
      });

      it('checks the targets’ health on /health/live and drains them within the service’s shutdown bound', () => {
        template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
          HealthCheckPath: '/health/live',
          TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '15' }]),
        });
        const environment = containerEnvironment(template);
        assert.ok(Number(environment.get('SHUTDOWN_TIMEOUT_SECONDS')) < 15);
      });

      it('tells the service which load balancer signs (ALB_ARNS), the issuer and the client', () => {
        const environment = containerEnvironment(template);
        assert.deepEqual(environment.get('ALB_ARNS'), { Ref: logicalIdOf(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer') });
        assert.equal(environment.get('NODE_ENV'), 'production');
        if (variant === 'Cognito') {
          const pool = logicalIdOf(template, 'AWS::Cognito::UserPool');
          assert.deepEqual(environment.get('ALB_ISSUER'), { 'Fn::Join': ['', ['https://cognito-idp.eu-west-1.amazonaws.com/', { Ref: pool }]] });
          assert.deepEqual(environment.get('ALB_CLIENT_IDS'), { Ref: logicalIdOf(template, 'AWS::Cognito::UserPoolClient') });
          assert.deepEqual(environment.get('ALB_ACCESS_TOKEN_ISSUER'), environment.get('ALB_ISSUER'));
          template.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['https://sso.example.com/oauth2/idpresponse'], GenerateSecret: true });
        } else {
          assert.equal(environment.get('ALB_ISSUER'), 'https://idp.example.com');
          assert.equal(environment.get('ALB_CLIENT_IDS'), 'alb-client');
        }
        assert.match(JSON.stringify(environment.get('DATABASE_URL')), /mysql:\/\/alb_usersync@/);
      });

      it('puts no secret in the template: the admin token, the database password and the IdP’s client secret are references', () => {
        assert.deepEqual(containerSecrets(template), ['ADMIN_API_TOKEN', 'DATABASE_PASSWORD']);
        const environment = containerEnvironment(template);
        for (const name of environment.keys()) assert.doesNotMatch(name, /(API_TOKEN|METRICS_TOKEN|PASSWORD|SECRET)$/, `${name} is a plain environment variable`);
        assert.doesNotMatch(JSON.stringify(environment.get('DATABASE_URL')), /:[^/@]+@/, 'DATABASE_URL has no password');
        // Secrets Manager makes the values; what the template holds of them is a generator or a reference.
        for (const [, secret] of resources(template, 'AWS::SecretsManager::Secret')) assert.equal(secret.Properties.SecretString, undefined);
        if (variant === 'OIDC') {
          const [first] = httpsActions(template);
          const clientSecret = JSON.stringify((first.AuthenticateOidcConfig as Record<string, unknown>).ClientSecret);
          assert.match(clientSecret, /\{\{resolve:secretsmanager:/);
        }
        assert.doesNotMatch(json, /"(MasterUserPassword|ClientSecret)":"[^{"][^"]*"/, 'no literal password or client secret');
      });

      it('admits the tasks’ port only from the load balancer’s security group', () => {
        const service = resources(template, 'AWS::ECS::Service')[0][1];
        const taskGroups = ((service.Properties.NetworkConfiguration as { AwsvpcConfiguration: { SecurityGroups: unknown[] } }).AwsvpcConfiguration.SecurityGroups as Array<{ 'Fn::GetAtt': [string, string] }>).map(
          (group) => group['Fn::GetAtt'][0],
        );
        const loadBalancerGroups = ((resources(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0][1].Properties.SecurityGroups as Array<{ 'Fn::GetAtt': [string, string] }>) ?? []).map((group) => group['Fn::GetAtt'][0]);
        const ingress = [
          ...resources(template, 'AWS::EC2::SecurityGroupIngress')
            .map(([, rule]) => rule.Properties)
            .filter((rule) => taskGroups.includes((rule.GroupId as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0])),
          ...taskGroups.flatMap((id) => ((template.toJSON().Resources[id].Properties.SecurityGroupIngress as Array<Record<string, unknown>>) ?? [])),
        ];
        assert.ok(ingress.length > 0, 'the tasks admit something');
        for (const rule of ingress) {
          assert.equal(rule.CidrIp, undefined, 'no address range');
          assert.ok(loadBalancerGroups.includes((rule.SourceSecurityGroupId as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]), JSON.stringify(rule));
          assert.equal(rule.FromPort, 3000);
        }
      });

      it('runs at least two tasks, scaling on CPU and on requests', () => {
        const service = resources(template, 'AWS::ECS::Service')[0][1];
        assert.ok((service.Properties.DesiredCount as number) >= 2);
        template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2 });
        const policies = resources(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(([, policy]) => JSON.stringify(policy.Properties));
        assert.ok(policies.some((policy) => policy.includes('ECSServiceAverageCPUUtilization')));
        assert.ok(policies.some((policy) => policy.includes('ALBRequestCountPerTarget')));
      });
    });
  }

  it('keeps the database: Aurora MySQL Serverless v2 by default, its password generated by Secrets Manager', () => {
    const { template } = cognito();
    template.hasResourceProperties('AWS::RDS::DBCluster', { Engine: 'aurora-mysql', ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 }, StorageEncrypted: true });
  });
});

/** This process's environment without AWS credentials or a default account. */
function offline(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(AWS_|CDK_DEFAULT_)/.test(name)) delete env[name];
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true' };
}

describe('AlbUserSyncService on an existing load balancer', () => {
  it('adds a rule for its host name to that HTTPS listener (authenticate, then forward) and makes no load balancer of its own', () => {
    const app = new App();
    const stack = new Stack(app, 'Existing', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'TheirVpc');
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/theirs/0123456789abcdef';
    const loadBalancer = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'TheirAlb', { loadBalancerArn: arn, securityGroupId: 'sg-0123456789abcdef0', loadBalancerDnsName: 'theirs.eu-west-1.elb.amazonaws.com', vpc });
    const httpsListener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'TheirHttps', {
      listenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/theirs/0123456789abcdef/fedcba9876543210',
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'TheirAlbGroup', 'sg-0123456789abcdef0'),
    });
    new AlbUserSyncService(stack, 'AlbUserSync', {
      domainName: 'sso.example.com',
      vpc,
      existingLoadBalancer: { loadBalancer, httpsListener, priority: 10 },
      identityProvider: { kind: 'cognito', domainPrefix: 'example-sso' },
      image: ecs.ContainerImage.fromRegistry('alb-usersync:test'),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 0);
    const [[, rule]] = resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule');
    const [first, second] = rule.Properties.Actions as Array<Record<string, unknown>>;
    assert.deepEqual([first.Type, first.Order, second.Type, second.Order], ['authenticate-cognito', 1, 'forward', 2]);
    assert.deepEqual(rule.Properties.Conditions, [{ Field: 'host-header', HostHeaderConfig: { Values: ['sso.example.com'] } }]);
    assert.equal(containerEnvironment(template).get('ALB_ARNS'), arn);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourceSecurityGroupId: 'sg-0123456789abcdef0', FromPort: 3000 });
  });
});

describe('the example app (bin/app.ts)', () => {
  it('synthesizes offline with `cdk synth` and the README’s context values', () => {
    const out = mkdtempSync(join(tmpdir(), 'alb-usersync-cdk-'));
    try {
      const run = spawnSync(
        process.execPath,
        [require.resolve('aws-cdk/bin/cdk'), 'synth', '--quiet', '--output', out, '-c', 'domainName=sso.example.com', '-c', `certificateArn=${CERTIFICATE}`, '-c', 'cognitoDomainPrefix=example-sso'],
        // No account and no credentials: an environment-agnostic stack, synthesized without any AWS call.
        { cwd: join(__dirname, '..'), encoding: 'utf8', env: offline(), timeout: 240_000 },
      );
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      const file = readdirSync(out).find((name) => name.endsWith('.template.json'));
      assert.ok(file, readdirSync(out).join(', '));
      const template = Template.fromJSON(JSON.parse(readFileSync(join(out, file), 'utf8')));
      assert.equal(httpsActions(template)[0].Type, 'authenticate-cognito');
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health/live' });
      // The image is the repository's Dockerfile, staged as an asset (built at deploy time, not here).
      assert.ok(readdirSync(out).some((name) => name.startsWith('asset.')), 'the Dockerfile staged as an asset');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
