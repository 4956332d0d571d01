import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { AlbTestSigner } from './alb-test-signer';
import { KeyServer } from './key-server';
import { createTestApp, TEST_DATABASE_URL, TestAppOptions, testConfig } from './test-app';

export interface TwoInstances {
  signer: AlbTestSigner;
  keys: KeyServer;
  first: INestApplication;
  second: INestApplication;
}

/**
 * Registers hooks: two service instances on one database (MySQL/MariaDB when the suite runs on
 * it, else one SQLite file), and a key server for their tokens. Read the fields inside tests.
 */
export function useTwoInstances(options: TestAppOptions = {}): TwoInstances {
  const stack = { signer: new AlbTestSigner(), keys: new KeyServer() } as TwoInstances;
  const folder = mkdtempSync(join(tmpdir(), 'alb-usersync-'));
  const databaseUrl = TEST_DATABASE_URL.startsWith('mysql') ? TEST_DATABASE_URL : `sqlite:${join(folder, 'shared.sqlite')}`;
  before(async () => {
    await stack.keys.start();
    stack.keys.add(stack.signer.kid, stack.signer.publicPem);
    const config = testConfig(stack.keys.url, { DATABASE_URL: databaseUrl });
    stack.first = await createTestApp(config, options);
    stack.second = await createTestApp(config, { ...options, dropSchema: false });
  });
  after(async () => {
    await stack.first?.close();
    await stack.second?.close();
    await stack.keys.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  return stack;
}
