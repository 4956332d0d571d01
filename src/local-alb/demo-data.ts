import { INestApplicationContext, Logger } from '@nestjs/common';
import { AlbSettingsService } from '../user-sync/config/alb-settings.service';
import { ConnectorsService } from '../user-sync/admin-api/connectors/connectors.service';
import { DirectoriesService } from '../user-sync/admin-api/directories/directories.service';

export const DEMO_ACTOR = 'local-mode';

/**
 * On the first local start (no directory yet): a JIT connector with its directory, and user sync
 * switched on, so that signing in on the emulator shows a provisioned user straight away.
 */
export async function seedDemoData(app: INestApplicationContext): Promise<boolean> {
  const directories = app.get(DirectoriesService);
  if ((await directories.list({ limit: 1, offset: 0 })).total > 0) return false;
  const connector = await app.get(ConnectorsService).create(
    {
      name: 'Local demo',
      createDirectory: true,
      primaryKey: 'sub',
      mappings: [
        { attribute: 'username', sources: ['email'], transformations: [{ type: 'lowercase' }, { type: 'stripDomain' }] },
        { attribute: 'displayName', sources: ['name', 'email'] },
        { attribute: 'email', sources: ['email'] },
        { attribute: 'groups', sources: ['groups'] },
      ],
      // Groups come from the claims: always-assigning `users` would let every identity in, and the
      // sign-in page's refused sample could not show NO_APPLICATION_ACCESS.
      groups: { alwaysAssign: [], removeUnlisted: true, createMissing: true },
      users: { updateExisting: true, reactivateOnLogin: false },
    },
    DEMO_ACTOR,
  );
  await app.get(AlbSettingsService).put(
    { userSync: { enabled: true, connectorId: connector.id }, accessGroups: ['users'] },
    DEMO_ACTOR,
  );
  new Logger('LocalMode').log('Created the demo directory, JIT connector "Local demo" and settings');
  return true;
}
