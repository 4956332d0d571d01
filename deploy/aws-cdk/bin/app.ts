#!/usr/bin/env node
// npx cdk deploy -c domainName=… -c certificateArn=… [-c idp=oidc -c oidcIssuer=… …]: docs/deploy-aws.md.
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AlbUserSyncService, AlbUserSyncServiceProps } from '../lib/alb-user-sync-service';

const app = new App();
const context = (name: string): string | undefined => {
  const value = app.node.tryGetContext(name);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};
const required = (name: string): string => {
  const value = context(name);
  if (!value) throw new Error(`missing context value ${name}: npx cdk deploy -c ${name}=…`);
  return value;
};

const stack = new Stack(app, context('stackName') ?? 'AlbUserSync', {
  // With credentials, the account and region they name; without, an environment-agnostic template.
  ...(process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION && { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }),
  description: 'alb-usersync: an ALB that signs users in (Cognito or OIDC) in front of the service on ECS Fargate, with Aurora MySQL',
});

const identityProvider: AlbUserSyncServiceProps['identityProvider'] =
  (context('idp') ?? 'cognito') === 'oidc'
    ? {
        kind: 'oidc',
        issuer: required('oidcIssuer'),
        authorizationEndpoint: required('oidcAuthorizationEndpoint'),
        tokenEndpoint: required('oidcTokenEndpoint'),
        userInfoEndpoint: required('oidcUserInfoEndpoint'),
        clientId: required('oidcClientId'),
        clientSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'OidcClientSecret', required('oidcClientSecretName')),
        logoutUrl: context('oidcLogoutUrl'),
      }
    : { kind: 'cognito', domainPrefix: required('cognitoDomainPrefix') };

const databaseHost = context('databaseHost');
// An existing load balancer (its VPC looked up, which needs credentials): a rule on its HTTPS listener.
const loadBalancerArn = context('loadBalancerArn');
const existing = loadBalancerArn
  ? (() => {
      const vpc = ec2.Vpc.fromLookup(stack, 'Vpc', { vpcId: required('vpcId') });
      const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(stack, 'LoadBalancerGroup', required('loadBalancerSecurityGroupId'));
      return {
        vpc,
        existingLoadBalancer: {
          loadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'LoadBalancer', { loadBalancerArn, securityGroupId: securityGroup.securityGroupId, vpc }),
          httpsListener: elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'HttpsListener', { listenerArn: required('httpsListenerArn'), securityGroup }),
          priority: Number(context('listenerRulePriority') ?? 10),
        },
      };
    })()
  : { certificateArn: required('certificateArn') };
new AlbUserSyncService(stack, 'AlbUserSync', {
  domainName: required('domainName'),
  ...existing,
  identityProvider,
  ...(databaseHost && {
    database: {
      kind: 'existing',
      host: databaseHost,
      port: Number(context('databasePort') ?? 3306),
      name: required('databaseName'),
      username: required('databaseUser'),
      password: secretsmanager.Secret.fromSecretNameV2(stack, 'DatabasePassword', required('databasePasswordSecretName')),
      passwordJsonField: context('databasePasswordJsonField'),
    },
  }),
});
