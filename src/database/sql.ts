import { EntityManager, EntityTarget, ObjectLiteral, QueryDeepPartialEntity, QueryFailedError } from 'typeorm';

/** A unique-constraint violation on MySQL/MariaDB or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = (error as QueryFailedError & { driverError?: { code?: string; errno?: number } }).driverError;
  return (
    driver?.code === 'ER_DUP_ENTRY' ||
    driver?.errno === 1062 ||
    driver?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    driver?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** `%`, `_` and `!` taken literally in a LIKE pattern used with `ESCAPE '!'` (a backslash means different things in MySQL and SQLite literals). */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (char) => `!${char}`);
}

/**
 * An INSERT without TypeORM's follow-up SELECT of the columns the database defaulted: on the login
 * path nothing reads them back, and each such SELECT is a round trip.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: QueryDeepPartialEntity<T> | QueryDeepPartialEntity<T>[],
): Promise<void> {
  await manager.createQueryBuilder().insert().into(target).values(rows).updateEntity(false).execute();
}
