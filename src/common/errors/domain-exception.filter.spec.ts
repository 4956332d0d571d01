import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryFailedError } from 'typeorm';
import { describeForLog } from './domain-exception.filter';

describe('describeForLog', () => {
  it('logs a database error by code and parameterized SQL, never the values its message quotes', () => {
    const driverError = Object.assign(new Error("Duplicate entry 'dir-1-équipe-secret' for key 'UQ_groups_directory_name'"), {
      code: 'ER_DUP_ENTRY',
      errno: 1062,
    });
    const error = new QueryFailedError('INSERT INTO `groups`(`name`) VALUES (?)', ['équipe-secret'], driverError);
    const logged = describeForLog(error);
    assert.match(logged, /ER_DUP_ENTRY \(1062\) in: INSERT INTO `groups`/);
    assert.ok(!logged.includes('secret'), logged);
  });

  it('logs other errors with their stack', () => {
    assert.match(describeForLog(new Error('boom')), /^Error: boom\n/);
  });
});
