import { INestApplication } from '@nestjs/common';
import { after, before } from 'node:test';
import request from 'supertest';
import { AdminClient, adminClient } from './admin-client';
import { AlbTestSigner } from './alb-test-signer';
import { KeyServer } from './key-server';
import { createTestApp, TestAppOptions, testConfig } from './test-app';

export interface TestStack {
  signer: AlbTestSigner;
  keys: KeyServer;
  app: INestApplication;
  http: ReturnType<typeof request>;
  admin: AdminClient;
}

/** Registers before/after hooks in the calling suite: a loopback key server serving a test signer's key. */
export function useKeyServer(): { signer: AlbTestSigner; keys: KeyServer } {
  const signer = new AlbTestSigner();
  const keys = new KeyServer();
  before(async () => {
    await keys.start();
    keys.add(signer.kid, signer.publicPem);
  });
  after(() => keys.stop());
  return { signer, keys };
}

/**
 * Registers before/after hooks in the calling suite: a loopback key server serving a test
 * signer's key, and the service on the suite's database. Read the fields inside tests.
 */
export function useTestStack(options: TestAppOptions = {}, env: Record<string, string> | ((keys: KeyServer) => Record<string, string>) = {}): TestStack {
  const stack = useKeyServer() as TestStack;
  before(async () => {
    stack.app = await createTestApp(testConfig(stack.keys.url, typeof env === 'function' ? env(stack.keys) : env), options);
    stack.http = request(stack.app.getHttpServer());
    stack.admin = adminClient(stack.http);
  });
  after(() => stack.app?.close());
  return stack;
}
