import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signAlbToken } from '../../src/testing/alb-token-signer';
import { freePort } from '../support/free-port';
import { KeyServer } from '../support/key-server';

const ROOT = resolve(__dirname, '../..');
const CDK = join(ROOT, 'deploy/aws-cdk');
const MARIADB = process.env.CONTAINER_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306';

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(dockerfile: string): Instruction[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const words = (args: string) => args.split(/\s+/).filter(Boolean);
const jsonOrShell = (args: string): string[] => (args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : ['sh', '-c', args]);

/**
 * The Dockerfile, run outside Docker: each stage a folder standing for its root, COPY and RUN in
 * order with the stage's WORKDIR and ENV, the base image's own parts (FROM) being this machine.
 * Returns the final stage's working directory, environment and command.
 */
function runDockerfile(into: string): { cwd: string; env: Record<string, string>; command: string[]; ran: string[] } {
  const stages = new Map<string, string>();
  let stage = '';
  let workdir = '/';
  let env: Record<string, string> = {};
  let command: string[] = [];
  const ran: string[] = [];
  const inStage = (path: string) => join(stage, path.startsWith('/') ? path : join(workdir, path));
  for (const { op, args } of instructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))) {
    if (op === 'FROM') {
      stage = join(into, `stage-${stages.size}`);
      mkdirSync(stage, { recursive: true });
      const alias = /\bAS\s+(\S+)/i.exec(args)?.[1];
      stages.set(alias ?? `#${stages.size}`, stage);
      [workdir, env, command] = ['/', {}, []];
    } else if (op === 'WORKDIR') {
      workdir = args;
      mkdirSync(inStage('.'), { recursive: true });
    } else if (op === 'ENV') {
      for (const [, name, value] of args.matchAll(/(\w+)=(\S+)/g)) env[name] = value;
    } else if (op === 'COPY') {
      const parts = words(args);
      const from = parts.find((part) => part.startsWith('--from='))?.slice('--from='.length);
      const paths = parts.filter((part) => !part.startsWith('--'));
      const target = paths.pop() as string;
      for (const source of paths) {
        const origin = from ? join(stages.get(from) as string, source) : join(ROOT, source);
        const destination = target.endsWith('/') || paths.length > 1 || target === '.' || target === './' ? join(inStage(target), source.split('/').pop() as string) : inStage(target);
        mkdirSync(dirname(destination), { recursive: true });
        cpSync(origin, destination, { recursive: true, verbatimSymlinks: true });
      }
    } else if (op === 'RUN') {
      // FROM stands for this machine (Debian, as node:20-bookworm-slim): the packages a stage installs
      // are checked present here rather than installed into it.
      if (/^apt-get\b/.test(args)) {
        const packages = [...args.matchAll(/install\s+(?:-\S+\s+)*([^&]+)/g)].flatMap((match) => words(match[1]).filter((word) => !word.startsWith('-')));
        const missing = packages.filter((name) => spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0);
        assert.deepEqual(missing, [], `the build stage's system packages (${packages.join(', ')}) on this machine`);
        continue;
      }
      ran.push(args);
      const run = spawnSync('sh', ['-c', args], { cwd: inStage('.'), env: { ...process.env, ...env }, encoding: 'utf8', timeout: 15 * 60_000 });
      assert.equal(run.status, 0, `RUN ${args}\n${run.stdout?.slice(-3000)}\n${run.stderr?.slice(-3000)}`);
    } else if (op === 'CMD') {
      command = jsonOrShell(args);
    }
  }
  return { cwd: inStage('.'), env, command, ran };
}

/** A CloudFormation value with its references resolved as this machine stands in for them. */
function resolveValue(value: unknown, refs: Record<string, string>, attributes: Record<string, string>): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  const node = value as Record<string, unknown>;
  if ('Ref' in node) {
    const resolved = refs[node.Ref as string];
    assert.ok(resolved !== undefined, `no local stand-in for Ref ${String(node.Ref)}`);
    return resolved;
  }
  if ('Fn::GetAtt' in node) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    const resolved = attributes[`${id}.${attribute}`];
    assert.ok(resolved !== undefined, `no local stand-in for ${id}.${attribute}`);
    return resolved;
  }
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveValue(part, refs, attributes)).join(separator);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

function mariadb(sql: string): void {
  const url = new URL(MARIADB);
  const run = spawnSync('mariadb', ['-u', url.username || 'root', '-h', url.hostname, '-P', url.port || '3306', '-e', sql], { encoding: 'utf8', env: { ...process.env, ...(url.password && { MYSQL_PWD: decodeURIComponent(url.password) }) } });
  assert.equal(run.status, 0, run.stderr);
}

describe('The Dockerfile run outside Docker, started with the environment the CDK app gives the task', () => {
  const folder = mkdtempSync(join(tmpdir(), 'alb-usersync-container-'));
  const keys = new KeyServer();
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  const loadBalancerArn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/alb-usersync/0123456789abcdef';
  const adminToken = randomBytes(24).toString('hex');
  // Reserved characters on purpose: DATABASE_PASSWORD is joined to DATABASE_URL by the service.
  const databasePassword = `p@ss:w/rd?${randomBytes(6).toString('hex')}`;
  let service: ChildProcess | undefined;
  let output = '';
  let base = '';
  let environment: Record<string, string> = {};
  let issuer = '';
  let clientId = '';
  let image: ReturnType<typeof runDockerfile> | undefined;

  before(async () => {
    await keys.start();
    keys.add(kid, createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString());
  });

  after(async () => {
    if (service && service.exitCode === null) service.kill('SIGKILL');
    await keys.stop();
    rmSync(folder, { recursive: true, force: true });
    try {
      mariadb("DROP DATABASE IF EXISTS `alb_usersync`; DROP USER IF EXISTS 'alb_usersync'@'127.0.0.1', 'alb_usersync'@'localhost'");
    } catch {
      // Nothing to drop.
    }
  });

  it('builds as the Dockerfile says: npm ci (with its build), then the production dependencies only', () => {
    image = runDockerfile(folder);
    assert.ok(image.ran.some((command) => command.startsWith('npm ci')), image.ran.join('\n'));
    assert.ok(existsSync(join(image.cwd, 'dist/main.js')) && existsSync(join(image.cwd, 'dist/admin/index.html')), 'the service and the console are built');
    assert.ok(!existsSync(join(image.cwd, 'node_modules/@nestjs/cli')) && !existsSync(join(image.cwd, 'node_modules/vite')), 'no dev dependency in the final stage');
    assert.ok(!existsSync(join(image.cwd, 'src')), 'no source in the final stage');
    assert.equal(image.env.NODE_ENV, 'production');
    environment = image.env;
  });

  it('starts in production mode against MariaDB with the CDK task’s environment; /health/live answers and a token signed for that load balancer logs in', async () => {
    assert.ok(image, 'the build step ran');
    // The Cognito variant, synthesized offline by the CDK app itself.
    const out = join(folder, 'cdk.out');
    const synth = spawnSync(process.execPath, [require.resolve('aws-cdk/bin/cdk', { paths: [CDK] }), 'synth', '--quiet', '--output', out, '-c', 'domainName=sso.example.com', '-c', 'certificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/x', '-c', 'cognitoDomainPrefix=example-sso'], {
      cwd: CDK,
      encoding: 'utf8',
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AWS_|CDK_DEFAULT_)/.test(name))),
      timeout: 240_000,
    });
    assert.equal(synth.status, 0, synth.stderr);
    const template = JSON.parse(readFileSync(join(out, readdirSync(out).find((name) => name.endsWith('.template.json')) as string), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const idOf = (type: string) => Object.entries(template.Resources).find(([, resource]) => resource.Type === type)?.[0] as string;
    const task = template.Resources[idOf('AWS::ECS::TaskDefinition')].Properties.ContainerDefinitions as Array<{ Environment: Array<{ Name: string; Value: unknown }>; Secrets: Array<{ Name: string }> }>;
    // This machine stands in for the AWS resources: the region, the pool, its client, the load balancer, the database.
    const refs = { 'AWS::Region': 'eu-west-1', [idOf('AWS::ElasticLoadBalancingV2::LoadBalancer')]: loadBalancerArn, [idOf('AWS::Cognito::UserPool')]: 'eu-west-1_LocalPool', [idOf('AWS::Cognito::UserPoolClient')]: 'localclient0123456789' };
    const cluster = idOf('AWS::RDS::DBCluster');
    const attributes = { [`${cluster}.Endpoint.Address`]: '127.0.0.1', [`${cluster}.Endpoint.Port`]: '3306' };
    const taskEnvironment = Object.fromEntries(task[0].Environment.map((entry) => [entry.Name, resolveValue(entry.Value, refs, attributes)]));
    const secrets = { ADMIN_API_TOKEN: adminToken, DATABASE_PASSWORD: databasePassword };
    assert.deepEqual(task[0].Secrets.map((secret) => secret.Name).sort(), Object.keys(secrets).sort());
    issuer = taskEnvironment.ALB_ISSUER;
    clientId = taskEnvironment.ALB_CLIENT_IDS;
    assert.equal(taskEnvironment.ALB_ARNS, loadBalancerArn);

    const database = new URL(taskEnvironment.DATABASE_URL).pathname.slice(1);
    mariadb(
      `DROP DATABASE IF EXISTS \`${database}\`; CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; ` +
        `DROP USER IF EXISTS 'alb_usersync'@'127.0.0.1', 'alb_usersync'@'localhost'; ` +
        `CREATE USER 'alb_usersync'@'127.0.0.1' IDENTIFIED BY '${databasePassword}'; CREATE USER 'alb_usersync'@'localhost' IDENTIFIED BY '${databasePassword}'; ` +
        `GRANT ALL ON \`${database}\`.* TO 'alb_usersync'@'127.0.0.1', 'alb_usersync'@'localhost'`,
    );

    const port = await freePort(4300, 4400);
    base = `http://127.0.0.1:${port}`;
    service = spawn(image.command[0], image.command.slice(1), {
      cwd: image.cwd,
      // The image's ENV, then the task's (as ECS puts it over the image's), then where this machine differs:
      // the port, and the ALB's public keys (here a loopback key server, in AWS the region's endpoint).
      env: { PATH: process.env.PATH ?? '', ...environment, ...taskEnvironment, ...secrets, PORT: String(port), ALB_KEY_ENDPOINT: keys.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout?.on('data', (chunk) => (output += chunk));
    service.stderr?.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 60_000;
    let live = 0;
    while (Date.now() < deadline && live !== 200) {
      live = (await fetch(`${base}/health/live`).catch(() => null))?.status ?? 0;
      if (live !== 200) await new Promise((done) => setTimeout(done, 250));
    }
    assert.equal(live, 200, output.slice(-3000));
    assert.match(output, /"msg":"[^"]*"/, 'JSON log lines (LOG_FORMAT=json)');

    const admin = (method: string, path: string, body: object) => fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const connector = await admin('POST', '/api/user-sync/connectors', {
      name: 'Cognito',
      createDirectory: true,
      mappings: [
        { attribute: 'username', sources: ['email'] },
        { attribute: 'displayName', sources: ['name'] },
        { attribute: 'email', sources: ['email'] },
      ],
    });
    assert.equal(connector.status, 201, await connector.clone().text());
    const settings = await admin('PUT', '/api/alb-auth/settings', { userSync: { enabled: true, connectorId: ((await connector.json()) as { id: string }).id }, accessGroups: [] });
    assert.equal(settings.status, 200, await settings.text());

    const token = signAlbToken({ privateKey, kid, signer: loadBalancerArn, issuer, client: clientId, claims: { sub: 'cognito-sub-1', email: 'jane@example.com', name: 'Jane Doe' }, expiresIn: 300 });
    const me = await fetch(`${base}/api/me`, { headers: { 'x-amzn-oidc-data': token } });
    assert.equal(me.status, 200, await me.clone().text());
    assert.equal(((await me.json()) as { username: string }).username, 'jane@example.com');
    const otherAlb = signAlbToken({ privateKey, kid, signer: loadBalancerArn.replace('0123456789abcdef', 'fedcba9876543210'), issuer, client: clientId, claims: { sub: 'x', email: 'x@example.com' } });
    assert.equal((await fetch(`${base}/api/me`, { headers: { 'x-amzn-oidc-data': otherAlb } })).status, 401, 'another load balancer is not trusted');

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => service?.once('exit', (code, signal) => done({ code, signal })));
    const stopping = Date.now();
    service.kill('SIGTERM');
    const { code, signal } = await exited;
    assert.ok(code === 0 || signal === 'SIGTERM', `exited with ${code ?? signal}: ${output.slice(-2000)}`);
    assert.ok(Date.now() - stopping < (Number(taskEnvironment.SHUTDOWN_TIMEOUT_SECONDS) + 2) * 1000, 'within the shutdown bound');
  });
});
