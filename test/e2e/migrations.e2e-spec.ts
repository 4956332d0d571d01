import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataSource, DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { parseDatabaseUrl } from '../../src/database/database-url';
import { isUniqueViolation } from '../../src/database/sql';
import { primaryKeyHash, usernameSkeleton } from '../../src/user-sync/identity/identity-rules';
import { TEST_DATABASE_URL } from '../support/test-app';
import { ALB_USERSYNC_ENTITIES } from '../../src/user-sync/store/entities';

/** The identity-rule migration on an existing install, on SQLite (a file) or DATABASE_URL (MariaDB). */
describe('Migration to the identity rule, on an existing database', () => {
  const folder = mkdtempSync(join(tmpdir(), 'alb-usersync-migration-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const url = TEST_DATABASE_URL.startsWith('sqlite:') ? `sqlite:${join(folder, 'db.sqlite')}` : TEST_DATABASE_URL;
  const options = buildDataSourceOptions(parseDatabaseUrl(url), ALB_USERSYNC_ENTITIES);
  const migrations = options.migrations as Array<new () => { name?: string }>;
  const open = async (extra: Partial<DataSourceOptions>) => {
    const dataSource = new DataSource({ ...options, migrationsRun: false, ...extra } as DataSourceOptions);
    await dataSource.initialize();
    return dataSource;
  };
  const insertUser = (dataSource: DataSource, id: string, username: string, externalId: string | null) =>
    dataSource.query(
      'INSERT INTO users (id, directory_id, username, username_key, attributes, external_id) VALUES (?, ?, ?, ?, ?, ?)',
      [id, 'dir-1', username, username.toLowerCase(), '{}', externalId],
    );

  it('hashes existing primary keys exactly, then tells apart what the old collation merged; and reverts', async () => {
    const identity = migrations.findIndex((migration) => /^IdentityRule/.test(migration.name));
    const before = await open({ migrations: migrations.slice(0, identity), dropSchema: true });
    await before.runMigrations();
    await insertUser(before, 'u-1', 'alice', 'AbC-victim ');
    await insertUser(before, 'u-2', 'bob', null);
    await before.destroy();

    const migrated = await open({});
    const ran = await migrated.runMigrations();
    assert.deepEqual(ran.map((migration) => migration.name), migrations.slice(identity).map((migration) => new migration().name));
    const stored: Array<Record<string, string | null>> = await migrated.query(
      'SELECT id, external_id, external_id_hash, username_skeleton FROM users ORDER BY id',
    );
    assert.deepEqual(stored, [
      { id: 'u-1', external_id: 'AbC-victim ', external_id_hash: primaryKeyHash('AbC-victim '), username_skeleton: usernameSkeleton('alice') },
      { id: 'u-2', external_id: null, external_id_hash: null, username_skeleton: usernameSkeleton('bob') },
    ]);

    // Now byte-exact: a case variant of the key and of the username are other identities...
    await migrated.query('INSERT INTO users (id, directory_id, username, username_key, attributes, external_id, external_id_hash) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      'u-3', 'dir-1', 'Alicé', 'alicé', '{}', 'abc-VICTIM', primaryKeyHash('abc-VICTIM'),
    ]);
    // ...while the same key twice is still refused by the unique index.
    await assert.rejects(
      migrated.query('INSERT INTO users (id, directory_id, username, username_key, attributes, external_id_hash) VALUES (?, ?, ?, ?, ?, ?)', [
        'u-4', 'dir-1', 'carol', 'carol', '{}', primaryKeyHash('AbC-victim '),
      ]),
      (error) => isUniqueViolation(error),
    );
    // The later migrations first, down to the identity rule's.
    for (let later = migrations.length - identity - 1; later > 0; later--) await migrated.undoLastMigration();
    if (options.type === 'mysql') {
      // The old collation would merge u-1's and u-3's keys: the revert refuses before changing anything.
      await assert.rejects(migrated.undoLastMigration(), /Cannot revert the identity rule: .*users\.external_id values that the old collation would merge/);
      const still: Array<Record<string, unknown>> = await migrated.query('SELECT * FROM users WHERE id = ?', ['u-3']);
      assert.equal(still[0].external_id_hash, primaryKeyHash('abc-VICTIM'));
    }
    await migrated.query('DELETE FROM users WHERE id = ?', ['u-3']);
    await migrated.undoLastMigration();
    const reverted: Array<Record<string, unknown>> = await migrated.query('SELECT * FROM users ORDER BY id');
    assert.deepEqual(reverted.map((row) => [row.id, row.external_id]), [['u-1', 'AbC-victim '], ['u-2', null]]);
    assert.ok(!('external_id_hash' in reverted[0]) && !('username_skeleton' in reverted[0]), 'the new columns are gone');
    assert.ok('sync_fingerprint' in reverted[0], 'the dropped column is back');
    await migrated.runMigrations();
    await migrated.destroy();
  });

  it('leaves the schema exactly as the entities describe it (what migration:generate compares)', { skip: options.type === 'mysql' && 'on MariaDB TypeORM reports false diffs for NULL defaults (docs/development.md)' }, async () => {
    const dataSource = await open({ dropSchema: true });
    await dataSource.runMigrations();
    const pending = await dataSource.driver.createSchemaBuilder().log();
    await dataSource.destroy();
    assert.deepEqual(pending.upQueries.map((query) => query.query), []);
  });
});
