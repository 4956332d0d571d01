import { INestApplicationContext, Logger } from '@nestjs/common';
import { LOCAL_ALB } from '../config/app-config';
import { ConnectorsService } from '../user-sync/admin-api/connectors/connectors.service';
import { DirectoriesService } from '../user-sync/admin-api/directories/directories.service';
import { UsersService } from '../user-sync/admin-api/directories/users.service';
import { AlbSettingsService } from '../user-sync/config/alb-settings.service';
import { LoginResolver } from '../user-sync/login/login-resolver.service';
import { SAMPLE_IDENTITIES } from './sample-identities';
import { DEFAULT_ADMIN_GROUPS } from '../user-sync/user-sync.options';

export const DEMO_ACTOR = 'local-mode';

/**
 * On the first local start (no directory yet): a JIT connector from the Amazon Cognito preset with
 * its directory, user sync switched on, and the Local Admin: provisioned as by its first login,
 * then granted the admin group by hand, since claims cannot grant a protected group.
 */
export async function seedDemoData(app: INestApplicationContext): Promise<boolean> {
  const directories = app.get(DirectoriesService);
  if ((await directories.list({ limit: 1, offset: 0 })).total > 0) return false;
  const connector = await app.get(ConnectorsService).create(
    {
      name: 'Local demo',
      createDirectory: true,
      preset: 'cognito',
      // Groups come from the claims: always-assigning `users` would let every identity in, and the
      // sign-in page's refused sample could not show NO_APPLICATION_ACCESS.
      groups: { alwaysAssign: [], removeUnlisted: true, createMissing: true },
    },
    DEMO_ACTOR,
  );
  await app.get(AlbSettingsService).put({ userSync: { enabled: true, connectorId: connector.id }, accessGroups: ['users'] }, DEMO_ACTOR);

  const admin = SAMPLE_IDENTITIES.find((identity) => identity.id === 'admin')!;
  const sub = String(admin.claims.sub);
  const exp = Math.floor(Date.now() / 1000) + 60;
  await app.get(LoginResolver).resolve({ sub, claims: admin.claims, kid: 'demo-data', signer: LOCAL_ALB.arn, exp, access: { claims: { sub, ...admin.accessClaims }, exp } });
  await app.get(UsersService).update(connector.directoryId, String(admin.claims.username), { groups: DEFAULT_ADMIN_GROUPS }, DEMO_ACTOR);
  new Logger('LocalMode').log('Created the demo directory, JIT connector "Local demo" (Cognito preset), settings and the Local Admin');
  return true;
}
