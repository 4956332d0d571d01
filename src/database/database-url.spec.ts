import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDatabaseUrl, withDatabasePassword } from './database-url';

describe('withDatabasePassword: DATABASE_PASSWORD joined to DATABASE_URL', () => {
  const cases: Array<[name: string, url: string, password: string | undefined, expect: { url?: string; problem?: RegExp }]> = [
    ['no password given: the URL as it is', 'mysql://app@db:3306/alb', undefined, { url: 'mysql://app@db:3306/alb' }],
    ['a plain password', 'mysql://app@db:3306/alb', 'secret', { url: 'mysql://app:secret@db:3306/alb' }],
    ['reserved characters, encoded once', 'mysql://app@db:3306/alb', 'p@ss:w/rd?#%', { url: 'mysql://app:p%40ss%3Aw%2Frd%3F%23%25@db:3306/alb' }],
    ['a URL that already holds one', 'mysql://app:old@db:3306/alb', 'new', { problem: /already holds a password/ }],
    ['a URL with no user', 'mysql://db:3306/alb', 'secret', { problem: /names no user/ }],
    ['SQLite', 'sqlite::memory:', 'secret', { problem: /needs a mysql:\/\/ DATABASE_URL/ }],
  ];
  for (const [name, url, password, expect] of cases) {
    it(name, () => {
      if (expect.problem) {
        assert.throws(() => withDatabasePassword(parseDatabaseUrl(url), password), expect.problem);
        return;
      }
      const joined = withDatabasePassword(parseDatabaseUrl(url), password);
      assert.deepEqual(joined, { type: 'mysql', url: expect.url });
      // What the driver reads back is the password as given.
      if (password !== undefined && joined.type === 'mysql') assert.equal(decodeURIComponent(new URL(joined.url).password), password);
    });
  }
});
