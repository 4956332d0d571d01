// `@alb-usersync/nestjs/testing`: ALB-format tokens for a host app's own tests.
export { signAlbToken } from './alb-token-signer';
export type { AlbTokenSpec } from './alb-token-signer';
export { startTestAlb } from './test-alb';
export type { TestAlb, TestAlbSignOptions } from './test-alb';
export { enableTestUserSync, TEST_CONNECTOR, testAlbOptions } from './test-user-sync';
export type { TestUserSyncOptions } from './test-user-sync';
export { ALB_AUTH_OPTIONS } from '../alb-auth/alb-auth.module-definition';
