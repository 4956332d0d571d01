import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource, DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { parseDatabaseUrl } from '../../src/database/database-url';
import { EntityRows } from '../../src/database/entity-rows';
import { isUniqueViolation } from '../../src/database/sql';
import { ConcurrentChangeError } from '../../src/database/concurrent-change.error';
import { GroupsStore } from '../../src/user-sync/store/groups.store';
import { AuditEventEntity } from '../../src/user-sync/store/audit-event.entity';
import { AuditStore } from '../../src/user-sync/store/audit.store';
import { UserEntity } from '../../src/user-sync/store/user.entity';
import { UsersStore } from '../../src/user-sync/store/users.store';
import { TEST_DATABASE_URL } from '../support/test-app';
import { ALB_USERSYNC_ENTITIES } from '../../src/user-sync/store/entities';

/**
 * The login path's plain statements (EntityRows) read and write rows exactly as TypeORM's entity
 * manager does, on SQLite and on DATABASE_URL (MariaDB): dates to the millisecond, booleans,
 * JSON, NULLs, Unicode; and the identity lookups stay byte-exact.
 */
describe('EntityRows: plain statements with TypeORM\'s conversions', () => {
  let dataSource: DataSource;
  const directoryId = randomUUID();
  const mysql = !TEST_DATABASE_URL.startsWith('sqlite:');
  /** Statements as sent, while `recording` is on. */
  let recorded: Array<{ sql: string; parameters: unknown[] }> | null = null;
  before(async () => {
    const options = buildDataSourceOptions(parseDatabaseUrl(TEST_DATABASE_URL), ALB_USERSYNC_ENTITIES);
    const logger = Object.assign(Object.create(options.logger as object), {
      logQuery: (sql: string, parameters: unknown[] = []) => recorded?.push({ sql, parameters }),
    });
    dataSource = await new DataSource({ ...options, logger, logging: ['query'], dropSchema: mysql } as DataSourceOptions).initialize();
  });
  after(() => dataSource?.destroy());

  const user = (username: string, externalIdHash: string | null, extra: Partial<UserEntity> = {}) => ({
    id: randomUUID(),
    directoryId,
    username,
    usernameKey: username.toLowerCase(),
    usernameSkeleton: null,
    displayName: `Ünïcødé ${username} 😀`,
    email: `${username}@example.com`,
    active: false,
    attributes: { department: 'R&D', 'quote"s': 'a\\b' },
    externalId: externalIdHash && `ext-${externalIdHash}`,
    externalIdHash,
    // A whole second: the column has no fractional seconds on MySQL (TypeORM's writes drop them too).
    lastLoginAt: new Date('2026-11-29T10:11:12Z'),
    scimDeletedAt: null,
    ...extra,
  });

  it('a row it inserts reads back through TypeORM as TypeORM would have written it, and the other way round', async () => {
    const rows = new EntityRows(dataSource, UserEntity);
    const mine = user('Alice', 'hash-alice', { scimDeletedAt: new Date('2026-11-30T01:02:03Z') });
    await rows.insert(dataSource.manager, [mine]);
    const typeorms = user('Bob', null, { active: true, lastLoginAt: null, attributes: {} });
    // TypeORM writes the defaulted columns back into the object it inserts: the copy is inserted.
    await dataSource.manager.insert(UserEntity, { ...typeorms });

    for (const written of [mine, typeorms]) {
      const viaTypeorm = await dataSource.manager.findOneByOrFail(UserEntity, { id: written.id });
      const [viaRows] = await rows.select(dataSource.manager, 'id = ?', [written.id]);
      assert.deepEqual({ ...viaRows }, { ...viaTypeorm });
      const { createdAt, updatedAt, ...fields } = viaRows;
      assert.deepEqual(fields, written);
      assert.ok(createdAt instanceof Date && updatedAt instanceof Date, 'defaulted columns read as dates');
    }
  });

  it('inserts several rows in one statement, in order; a duplicate key fails the whole statement', async () => {
    const audit = new AuditStore(dataSource);
    const marker = randomUUID();
    await dataSource.transaction((tx) =>
      audit.recordAll(tx, [
        { type: 'user.created', actor: 'login', username: marker, details: { n: 1 } },
        { type: 'groups.changed', actor: 'login', username: marker, details: { added: ['a', 'ß'] } },
        { type: 'login.refused', actor: 'x'.repeat(300), username: marker },
      ]),
    );
    const events = await dataSource.manager.find(AuditEventEntity, { where: { username: marker }, order: { id: 'ASC' } });
    assert.deepEqual(events.map((event) => [event.type, event.actor.length, event.details]), [
      ['user.created', 5, { n: 1 }],
      ['groups.changed', 5, { added: ['a', 'ß'] }],
      ['login.refused', 255, {}],
    ]);
    assert.equal(events[0].createdAt.getTime(), events[2].createdAt.getTime());

    const rows = new EntityRows(dataSource, UserEntity);
    const first = user('carol', 'hash-carol');
    await assert.rejects(rows.insert(dataSource.manager, [user('dave', 'hash-dave'), { ...user('Carol', 'hash-other') }, first, { ...first, id: randomUUID() }]), isUniqueViolation);
    assert.equal(await dataSource.manager.countBy(UserEntity, { directoryId, username: 'dave' }), 0);
  });

  it('finds a login\'s users byte-exactly: not a trailing-space or case variant of the key or the hash', async () => {
    const users = new UsersStore(dataSource);
    const erin = user('erin', 'hash-erin');
    const frank = user('frank', 'hash-frank');
    await new EntityRows(dataSource, UserEntity).insert(dataSource.manager, [erin, frank]);

    const both = await users.byExternalIdHashOrUsernameKey(directoryId, 'hash-erin', 'frank');
    assert.deepEqual([both.byKey?.id, both.byName?.id], [erin.id, frank.id]);
    const one = await users.byExternalIdHashOrUsernameKey(directoryId, 'hash-erin', 'erin');
    assert.deepEqual([one.byKey?.id, one.byName?.id], [erin.id, erin.id]);
    const none = await users.byExternalIdHashOrUsernameKey(directoryId, 'HASH-ERIN', 'erin ');
    assert.deepEqual([none.byKey, none.byName], [null, null]);
    assert.equal(await users.byUsernameKey(directoryId, 'frank '), null);
    assert.equal(await users.byExternalIdHash(directoryId, 'hash-frank '), null);
    assert.equal((await users.byExternalIdHash(directoryId, 'hash-frank'))?.id, frank.id);
    assert.equal((await users.byExternalIdHashOrUsernameKey(randomUUID(), 'hash-erin', 'erin')).byKey, null, 'another directory');
  });

  it('looks a login\'s user up through the unique indexes, not by scanning the directory', async () => {
    const rows = new EntityRows(dataSource, UserEntity);
    await rows.insert(dataSource.manager, Array.from({ length: 60 }, (_, i) => user(`many${i}`, `hash-many${i}`)));
    recorded = [];
    await new UsersStore(dataSource).byExternalIdHashOrUsernameKey(directoryId, 'hash-many7', 'many8');
    const [{ sql, parameters }] = recorded;
    recorded = null;
    if (mysql) {
      const plan: Array<{ rows: number | null; key: string | null }> = await dataSource.query(`EXPLAIN ${sql}`, parameters);
      assert.ok(plan.every((step) => step.rows === null || Number(step.rows) <= 1), JSON.stringify(plan));
    } else {
      const plan: Array<{ detail: string }> = await dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, parameters);
      assert.ok(plan.some((step) => /USING INDEX UQ_users_directory_external_id/.test(step.detail)), JSON.stringify(plan));
      assert.ok(plan.some((step) => /USING INDEX UQ_users_directory_username/.test(step.detail)), JSON.stringify(plan));
      assert.ok(!plan.some((step) => /^SCAN/.test(step.detail)), JSON.stringify(plan));
    }
  });

  it('grants only groups that still exist in the directory: one deleted since it was read fails the grant, which writes nothing', async () => {
    const groups = new GroupsStore(dataSource);
    const [kept, gone] = await dataSource.transaction((tx) => groups.resolve(tx, directoryId, ['Kept', 'Gone'], true));
    await dataSource.transaction((tx) => groups.delete(tx, gone.id));
    const userId = randomUUID();
    await assert.rejects(
      dataSource.transaction((tx) => groups.grant(tx, directoryId, userId, [kept.id, gone.id], 'connector-1')),
      ConcurrentChangeError,
    );
    assert.deepEqual(await groups.memberships([userId]), []);
    await assert.rejects(
      dataSource.transaction((tx) => groups.grant(tx, randomUUID(), userId, [kept.id], 'connector-1')),
      ConcurrentChangeError,
      'another directory\'s group',
    );
    await dataSource.transaction((tx) => groups.grant(tx, directoryId, userId, [kept.id], 'connector-1'));
    assert.deepEqual((await groups.memberships([userId])).map((row) => ({ ...row })), [{ userId, origin: 'connector-1', name: 'Kept', nameKey: 'kept' }]);
  });
});
