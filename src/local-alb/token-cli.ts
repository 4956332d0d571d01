import { parseArgs } from 'node:util';
import { LOCAL_ALB } from '../config/app-config';
import { signAlbToken } from './alb-token-signer';
import { loadOrCreateLocalKeys } from './local-alb-keys';

/**
 * npm run alb:token -- --claims '{"email":"a@b.example"}' [--expired] [--expires-in 120]
 *   [--signer ARN] [--issuer URL] [--client ID] [--kid UUID] [--no-padding] [--der]
 * Prints a token signed by the local emulator's key (./data/local-alb), for curl and tests.
 */
function main(): void {
  const { values } = parseArgs({
    options: {
      claims: { type: 'string', default: '{}' },
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
      "Usage: npm run alb:token -- --claims '{\"email\":\"a@b.example\"}' [--expired] [--expires-in S] [--signer ARN] [--issuer URL] [--client ID] [--kid UUID] [--no-padding] [--der]\n",
    );
    return;
  }
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(values.claims as string);
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new Error();
  } catch {
    process.stderr.write('--claims must be a JSON object\n');
    process.exit(2);
  }
  const keys = loadOrCreateLocalKeys();
  const expiresIn = values.expired ? -60 : Number(values['expires-in'] ?? 120);
  process.stdout.write(
    `${signAlbToken({
      privateKey: keys.privateKey,
      kid: values.kid ?? keys.kid,
      signer: values.signer ?? LOCAL_ALB.arn,
      issuer: values.issuer ?? LOCAL_ALB.issuer,
      client: values.client ?? LOCAL_ALB.clientId,
      claims: { sub: `cli-${String(claims.email ?? 'user')}`, ...claims },
      expiresIn,
      padded: !values['no-padding'],
      derSignature: values.der,
    })}\n`,
  );
}

main();
