import { parseArgs } from 'node:util';
import { LOCAL_ALB } from '../config/app-config';
import { signAccessToken } from './access-token-signer';
import { signAlbToken } from '../testing/alb-token-signer';
import { loadOrCreateLocalKeys } from './local-alb-keys';

/**
 * npm run alb:token -- --claims '{"email":"a@b.example"}' [--access '{"cognito:groups":["users"]}'] [--expired] [--expires-in 120]
 *   [--signer ARN] [--issuer URL] [--client ID] [--kid UUID] [--no-padding] [--der]
 * Prints a token signed by the local emulator's key (./data/local-alb), for curl and tests; with
 * --access, a second line: the access token (x-amzn-oidc-accesstoken) with those claims.
 */
function main(): void {
  const { values } = parseArgs({
    options: {
      claims: { type: 'string', default: '{}' },
      access: { type: 'string' },
      expired: { type: 'boolean', default: false },
      'expires-in': { type: 'string' },
      signer: { type: 'string' },
      issuer: { type: 'string' },
      client: { type: 'string' },
      kid: { type: 'string' },
      'no-padding': { type: 'boolean', default: false },
      der: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "Usage: npm run alb:token -- --claims '{\"email\":\"a@b.example\"}' [--access '{\"cognito:groups\":[\"users\"]}'] [--expired] [--expires-in S] [--signer ARN] [--issuer URL] [--client ID] [--kid UUID] [--no-padding] [--der]\n",
    );
    return;
  }
  const claims = { ...parseObject('--claims', values.claims as string) };
  const accessClaims = values.access === undefined ? undefined : parseObject('--access', values.access);
  if (claims.sub === undefined) claims.sub = `cli-${String(claims.email ?? 'user')}`;
  const keys = loadOrCreateLocalKeys();
  const expiresIn = values.expired ? -60 : Number(values['expires-in'] ?? 120);
  process.stdout.write(
    `${signAlbToken({
      privateKey: keys.privateKey,
      kid: values.kid ?? keys.kid,
      signer: values.signer ?? LOCAL_ALB.arn,
      issuer: values.issuer ?? LOCAL_ALB.issuer,
      client: values.client ?? LOCAL_ALB.clientId,
      claims,
      expiresIn,
      padded: !values['no-padding'],
      derSignature: values.der,
    })}\n`,
  );
  if (accessClaims) {
    const sub = String(claims.sub);
    process.stdout.write(`${signAccessToken({ privateKey: keys.accessPrivateKey, kid: keys.accessKid, issuer: LOCAL_ALB.issuer, clientId: LOCAL_ALB.clientId, sub, claims: accessClaims, expiresIn: values.expired ? -60 : 3600 })}\n`);
  }
}

function parseObject(option: string, text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
    return parsed as Record<string, unknown>;
  } catch {
    process.stderr.write(`${option} must be a JSON object\n`);
    process.exit(2);
  }
}

main();
