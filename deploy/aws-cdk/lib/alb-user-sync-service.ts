import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as actions from 'aws-cdk-lib/aws-elasticloadbalancingv2-actions';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';

/** A new Cognito user pool, app client and hosted-UI domain, made for the ALB. */
export interface CognitoIdentityProvider {
  kind: 'cognito';
  /** The hosted UI's prefix: https://<prefix>.auth.<region>.amazoncognito.com (unique per region). */
  domainPrefix: string;
  /** Groups to create in the pool beside `users` and the admin groups. */
  groups?: string[];
}

/** Any OpenID Connect IdP, its client secret kept in Secrets Manager. */
export interface OidcIdentityProvider {
  kind: 'oidc';
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userInfoEndpoint: string;
  clientId: string;
  /** The client secret: referenced by the listener, never written into the template. */
  clientSecret: secretsmanager.ISecret;
  /** The IdP's end-session URL, for the console's logout setting (an output). */
  logoutUrl?: string;
  /** A JSON key of the secret holding the client secret, when the secret is a JSON object. */
  clientSecretJsonField?: string;
}

/** An existing MySQL 8 / MariaDB 10.6+ database instead of a new Aurora cluster. */
export interface ExistingDatabase {
  kind: 'existing';
  host: string;
  port?: number;
  name: string;
  username: string;
  /** Its password: handed to the task as a secret, never in the template. */
  password: secretsmanager.ISecret;
  /** A JSON key of the secret holding the password (RDS-made secrets: `password`). */
  passwordJsonField?: string;
  /** The database's security group, to admit the service's tasks. */
  securityGroup?: ec2.ISecurityGroup;
}

/** A load balancer and HTTPS listener you already have: the service gets a rule on it for its host name. */
export interface ExistingLoadBalancer {
  loadBalancer: elbv2.IApplicationLoadBalancer;
  /** Its HTTPS listener, whose certificate covers domainName. */
  httpsListener: elbv2.IApplicationListener;
  /** The rule's priority on that listener (unique there). */
  priority: number;
}

export interface AlbUserSyncServiceProps {
  /** The host name users open (its DNS points at the load balancer); the IdP's callback is https://<it>/oauth2/idpresponse. */
  domainName: string;
  /** An ACM certificate for domainName, in the stack's region (a new load balancer's listener). */
  certificateArn?: string;
  /** Instead of a new load balancer: a rule for domainName on an existing one's HTTPS listener (pass its vpc too). */
  existingLoadBalancer?: ExistingLoadBalancer;
  identityProvider: CognitoIdentityProvider | OidcIdentityProvider;
  /** Default: a new VPC with two AZs and one NAT gateway. */
  vpc?: ec2.IVpc;
  /** Default: Aurora MySQL Serverless v2 (0.5–4 ACU). */
  database?: ExistingDatabase;
  /** Default: the service built from the repository's Dockerfile. */
  image?: ecs.ContainerImage;
  /** Tasks at rest: at least 2 (default 2). */
  minTasks?: number;
  /** Default 6. */
  maxTasks?: number;
  /** ADMIN_GROUPS (default the service's: alb-usersync-admins). */
  adminGroups?: string[];
}

/** The service's port in its container. */
const PORT = 3000;
/** SHUTDOWN_TIMEOUT_SECONDS: in-flight requests may finish for this long after SIGTERM. */
const SHUTDOWN_SECONDS = 10;
const DATABASE_NAME = 'alb_usersync';
const DATABASE_USER = 'alb_usersync';

/**
 * alb-usersync behind an internet-facing ALB: HTTP redirects to HTTPS; the HTTPS listener first
 * authenticates (Cognito or OIDC) and then forwards to the service on ECS Fargate, whose tasks only
 * the load balancer may reach; the service trusts that load balancer's signed token (ALB_ARNS).
 */
export class AlbUserSyncService extends Construct {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly service: ecs.FargateService;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly adminApiToken: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: AlbUserSyncServiceProps) {
    super(scope, id);
    const minTasks = Math.max(2, props.minTasks ?? 2);
    const vpc = props.vpc ?? new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });

    if (props.existingLoadBalancer) {
      this.loadBalancer = props.existingLoadBalancer.loadBalancer;
    } else {
      if (!props.certificateArn) throw new Error('AlbUserSyncService: certificateArn is required unless existingLoadBalancer is given');
      const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', { vpc, internetFacing: true });
      loadBalancer.addListener('Http', { port: 80, open: true, defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }) });
      this.loadBalancer = loadBalancer;
    }

    this.adminApiToken = new secretsmanager.Secret(this, 'AdminApiToken', {
      description: 'alb-usersync ADMIN_API_TOKEN: the admin API bearer token',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });

    const serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', { vpc, description: 'alb-usersync tasks: reached only by the load balancer' });
    const database = this.database(vpc, serviceSecurityGroup, props.database);
    const idp = this.identityProvider(props);

    const task = new ecs.FargateTaskDefinition(this, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('Service', {
      image: props.image ?? ecs.ContainerImage.fromAsset(join(__dirname, '../../..')),
      portMappings: [{ containerPort: PORT }],
      environment: {
        NODE_ENV: 'production',
        PORT: String(PORT),
        LOG_FORMAT: 'json',
        ALB_ARNS: this.loadBalancer.loadBalancerArn,
        ALB_ISSUER: idp.issuer,
        ALB_CLIENT_IDS: idp.clientId,
        ...idp.environment,
        DATABASE_URL: database.url,
        SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_SECONDS),
        ...(props.adminGroups && { ADMIN_GROUPS: props.adminGroups.join(',') }),
      },
      secrets: {
        ADMIN_API_TOKEN: ecs.Secret.fromSecretsManager(this.adminApiToken),
        DATABASE_PASSWORD: database.password,
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'alb-usersync' }),
      // tini as PID 1: SIGTERM reaches node, which drains and exits within SHUTDOWN_TIMEOUT_SECONDS.
      linuxParameters: new ecs.LinuxParameters(this, 'Linux', { initProcessEnabled: true }),
      stopTimeout: Duration.seconds(SHUTDOWN_SECONDS + 5),
      healthCheck: {
        command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${PORT}/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(3),
        startPeriod: Duration.seconds(60),
      },
    });

    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: minTasks,
      securityGroups: [serviceSecurityGroup],
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
    });
    this.service.connections.allowFrom(this.loadBalancer, ec2.Port.tcp(PORT), 'the load balancer only');

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc,
      port: PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service],
      healthCheck: { path: '/health/live', healthyHttpCodes: '200', interval: Duration.seconds(15), healthyThresholdCount: 2 },
      // Within the service's own bound: connections drain while it finishes in-flight requests.
      deregistrationDelay: Duration.seconds(SHUTDOWN_SECONDS + 5),
    });

    const signInThenForward = idp.authenticate(elbv2.ListenerAction.forward([this.targetGroup]));
    if (props.existingLoadBalancer) {
      new elbv2.ApplicationListenerRule(this, 'HostRule', {
        listener: props.existingLoadBalancer.httpsListener,
        priority: props.existingLoadBalancer.priority,
        conditions: [elbv2.ListenerCondition.hostHeaders([props.domainName])],
        action: signInThenForward,
      });
    } else {
      (this.loadBalancer as elbv2.ApplicationLoadBalancer).addListener('Https', {
        port: 443,
        open: true,
        certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn as string)],
        defaultAction: signInThenForward,
      });
    }

    const scaling = this.service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: Math.max(minTasks, props.maxTasks ?? 6) });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
    scaling.scaleOnRequestCount('Requests', { requestsPerTarget: 2000, targetGroup: this.targetGroup });

    const url = `https://${props.domainName}/`;
    new CfnOutput(this, 'Url', { value: url, description: 'the service, behind the ALB sign-in' });
    new CfnOutput(this, 'ConsoleUrl', { value: `${url}admin/`, description: 'the admin console (a user in ADMIN_GROUPS)' });
    new CfnOutput(this, 'AdminApiTokenSecretName', { value: this.adminApiToken.secretName, description: 'aws secretsmanager get-secret-value --secret-id <this>: the admin API bearer token' });
    new CfnOutput(this, 'LoadBalancerDnsName', { value: this.loadBalancer.loadBalancerDnsName, description: `point ${props.domainName} here (CNAME or alias)` });
    new CfnOutput(this, 'LogoutUrl', { value: idp.logoutUrl ?? '—', description: 'for the console: ALB authentication → logout redirect' });
  }

  private database(vpc: ec2.IVpc, tasks: ec2.SecurityGroup, existing?: ExistingDatabase): { url: string; password: ecs.Secret } {
    if (existing) {
      existing.securityGroup?.connections.allowFrom(tasks, ec2.Port.tcp(existing.port ?? 3306), 'alb-usersync tasks');
      return {
        url: `mysql://${encodeURIComponent(existing.username)}@${existing.host}:${existing.port ?? 3306}/${existing.name}`,
        password: existing.passwordJsonField ? ecs.Secret.fromSecretsManager(existing.password, existing.passwordJsonField) : ecs.Secret.fromSecretsManager(existing.password),
      };
    }
    const cluster = new rds.DatabaseCluster(this, 'Database', {
      engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 }),
      credentials: rds.Credentials.fromGeneratedSecret(DATABASE_USER),
      defaultDatabaseName: DATABASE_NAME,
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      serverlessV2MinCapacity: 0.5,
      serverlessV2MaxCapacity: 4,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      storageEncrypted: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    cluster.connections.allowDefaultPortFrom(tasks, 'alb-usersync tasks');
    return {
      url: `mysql://${DATABASE_USER}@${cluster.clusterEndpoint.hostname}:${cluster.clusterEndpoint.port}/${DATABASE_NAME}`,
      password: ecs.Secret.fromSecretsManager(cluster.secret!, 'password'),
    };
  }

  private identityProvider(props: AlbUserSyncServiceProps): {
    issuer: string;
    clientId: string;
    environment: Record<string, string>;
    logoutUrl?: string;
    authenticate(next: elbv2.ListenerAction): elbv2.ListenerAction;
  } {
    const idp = props.identityProvider;
    const region = Stack.of(this).region;
    if (idp.kind === 'oidc') {
      return {
        issuer: idp.issuer,
        clientId: idp.clientId,
        environment: {},
        logoutUrl: idp.logoutUrl,
        authenticate: (next) =>
          elbv2.ListenerAction.authenticateOidc({
            issuer: idp.issuer,
            authorizationEndpoint: idp.authorizationEndpoint,
            tokenEndpoint: idp.tokenEndpoint,
            userInfoEndpoint: idp.userInfoEndpoint,
            clientId: idp.clientId,
            clientSecret: SecretValue.secretsManager(idp.clientSecret.secretArn, idp.clientSecretJsonField ? { jsonField: idp.clientSecretJsonField } : {}),
            scope: 'openid email profile',
            next,
          }),
      };
    }
    const pool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true, username: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const client = pool.addClient('AlbClient', {
      generateSecret: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`https://${props.domainName}/oauth2/idpresponse`],
        logoutUrls: [`https://${props.domainName}/`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    });
    const domain = pool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: idp.domainPrefix } });
    const groups = new Set(['users', ...(props.adminGroups ?? ['alb-usersync-admins']), ...(idp.groups ?? [])]);
    for (const name of groups) new cognito.CfnUserPoolGroup(this, `Group-${name.replace(/[^A-Za-z0-9]/g, '')}`, { userPoolId: pool.userPoolId, groupName: name });
    const issuer = `https://cognito-idp.${region}.amazonaws.com/${pool.userPoolId}`;
    return {
      issuer,
      clientId: client.userPoolClientId,
      // Cognito puts the groups in the access token: the service verifies it (its issuer defaults to ALB_ISSUER).
      environment: { ALB_ACCESS_TOKEN_ISSUER: issuer, ALB_ACCESS_TOKEN_CLIENT_IDS: client.userPoolClientId },
      logoutUrl: `https://${idp.domainPrefix}.auth.${region}.amazoncognito.com/logout?client_id=${client.userPoolClientId}&logout_uri=${encodeURIComponent(`https://${props.domainName}/`)}`,
      authenticate: (next) => new actions.AuthenticateCognitoAction({ userPool: pool, userPoolClient: client, userPoolDomain: domain, next }),
    };
  }
}
