import { InitialSchemaMysql1764300000000 } from './mysql/1764300000000-initial-schema';
import { UserSyncStoreMysql1764400000000 } from './mysql/1764400000000-user-sync-store';
import { IdentityRuleMysql1764500000000 } from './mysql/1764500000000-identity-rule';
import { DropSyncFingerprintMysql1764600000000 } from './mysql/1764600000000-drop-sync-fingerprint';
import { ProtectedGroupsMysql1764700000000 } from './mysql/1764700000000-protected-groups';
import { CleanupMysql1764800000000 } from './mysql/1764800000000-cleanup';
import { ScimClientsMysql1764900000000 } from './mysql/1764900000000-scim-clients';
import { ScimDeletedMysql1765000000000 } from './mysql/1765000000000-scim-deleted';
import { CleanupProtectedMysql1765100000000 } from './mysql/1765100000000-cleanup-protected';
import { DashboardMysql1765200000000 } from './mysql/1765200000000-dashboard';
import { DashboardSqlite1765200000000 } from './sqlite/1765200000000-dashboard';
import { InitialSchemaSqlite1764300000000 } from './sqlite/1764300000000-initial-schema';
import { UserSyncStoreSqlite1764400000000 } from './sqlite/1764400000000-user-sync-store';
import { IdentityRuleSqlite1764500000000 } from './sqlite/1764500000000-identity-rule';
import { DropSyncFingerprintSqlite1764600000000 } from './sqlite/1764600000000-drop-sync-fingerprint';
import { ProtectedGroupsSqlite1764700000000 } from './sqlite/1764700000000-protected-groups';
import { CleanupSqlite1764800000000 } from './sqlite/1764800000000-cleanup';
import { ScimClientsSqlite1764900000000 } from './sqlite/1764900000000-scim-clients';
import { ScimDeletedSqlite1765000000000 } from './sqlite/1765000000000-scim-deleted';
import { CleanupProtectedSqlite1765100000000 } from './sqlite/1765100000000-cleanup-protected';

/** Listed explicitly (not globbed) so they load the same from ts-node, the CLI and dist/. */
export const SQLITE_MIGRATIONS = [InitialSchemaSqlite1764300000000, UserSyncStoreSqlite1764400000000, IdentityRuleSqlite1764500000000, DropSyncFingerprintSqlite1764600000000, ProtectedGroupsSqlite1764700000000, CleanupSqlite1764800000000, ScimClientsSqlite1764900000000, ScimDeletedSqlite1765000000000, CleanupProtectedSqlite1765100000000, DashboardSqlite1765200000000];
export const MYSQL_MIGRATIONS = [InitialSchemaMysql1764300000000, UserSyncStoreMysql1764400000000, IdentityRuleMysql1764500000000, DropSyncFingerprintMysql1764600000000, ProtectedGroupsMysql1764700000000, CleanupMysql1764800000000, ScimClientsMysql1764900000000, ScimDeletedMysql1765000000000, CleanupProtectedMysql1765100000000, DashboardMysql1765200000000];
