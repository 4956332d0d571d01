import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalAlbKeys {
  kid: string;
  privateKey: KeyObject;
  publicPem: string;
  /** The emulated IdP's access-token key (RS256, as Cognito signs): its JWKS is served at /.alb/jwks.json. */
  accessKid: string;
  accessPrivateKey: KeyObject;
}

export const LOCAL_ALB_KEY_DIR = './data/local-alb';

/** The local emulator's key pair: made on first start under ./data, never shipped. */
export function loadOrCreateLocalKeys(dir = LOCAL_ALB_KEY_DIR): LocalAlbKeys {
  const keyFile = join(dir, 'private-key.pem');
  const kidFile = join(dir, 'kid');
  if (!existsSync(keyFile) || !existsSync(kidFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(kidFile, randomUUID(), { mode: 0o600 });
  }
  const accessKeyFile = join(dir, 'access-private-key.pem');
  const accessKidFile = join(dir, 'access-kid');
  if (!existsSync(accessKeyFile) || !existsSync(accessKidFile)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(accessKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(accessKidFile, randomUUID(), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(keyFile));
  return {
    kid: readFileSync(kidFile, 'utf8').trim(),
    privateKey,
    publicPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
    accessKid: readFileSync(accessKidFile, 'utf8').trim(),
    accessPrivateKey: createPrivateKey(readFileSync(accessKeyFile)),
  };
}
