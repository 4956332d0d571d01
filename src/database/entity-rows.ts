import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Plain SQL for the statements a login runs, with TypeORM's own per-column conversions (dates,
 * booleans, JSON), so a row reads and writes exactly as it does through the entity manager.
 * TypeORM builds every statement anew from metadata, which costs many times the statement itself
 * on SQLite, and a first login runs about eight (figures: docs/benchmarks.md).
 */
export class EntityRows<T extends ObjectLiteral> {
  readonly table: string;
  /** Every column of the entity, for a SELECT list: `"col"` (SQLite) or `` `col` `` (MySQL). */
  readonly selectList: string;
  private readonly columns: ColumnMetadata[];
  private readonly byProperty: Map<string, ColumnMetadata>;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
  ) {
    const metadata = dataSource.getMetadata(target);
    this.table = dataSource.driver.escape(metadata.tableName);
    this.columns = metadata.columns;
    this.byProperty = new Map(metadata.columns.map((column) => [column.propertyName, column]));
    this.selectList = this.columns.map((column) => dataSource.driver.escape(column.databaseName)).join(', ');
  }

  /** Rows of this table matching `where` (SQL with `?` placeholders), as entities. */
  async select(tx: EntityManager, where: string, parameters: unknown[]): Promise<T[]> {
    const rows: Record<string, unknown>[] = await tx.query(`SELECT ${this.selectList} FROM ${this.table} WHERE ${where}`, parameters);
    return rows.map((row) => this.hydrate(row));
  }

  /**
   * Rows matching any of these conditions, one SELECT each joined by UNION ALL (a row matching two
   * comes twice): MariaDB answers `a = ? AND (b = ? OR c = ?)` by scanning every row with that `a`.
   */
  async selectAny(tx: EntityManager, conditions: ReadonlyArray<[where: string, parameters: unknown[]]>): Promise<T[]> {
    const sql = conditions.map(([where]) => `SELECT ${this.selectList} FROM ${this.table} WHERE ${where}`).join(' UNION ALL ');
    const rows: Record<string, unknown>[] = await tx.query(sql, conditions.flatMap(([, parameters]) => parameters));
    return rows.map((row) => this.hydrate(row));
  }

  /** A row of every column, as TypeORM's find would give it. */
  hydrate(row: Record<string, unknown>): T {
    const entity: Record<string, unknown> = {};
    for (const column of this.columns) entity[column.propertyName] = this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column);
    return entity as T;
  }

  /** One INSERT of these rows (each with the same properties); columns left out take their defaults. */
  async insert(tx: EntityManager, rows: readonly Partial<T>[]): Promise<void> {
    if (rows.length === 0) return;
    const properties = Object.keys(rows[0]);
    const columns = properties.map((property) => this.metadataOf(property));
    const tuple = `(${properties.map(() => '?').join(', ')})`;
    const parameters = rows.flatMap((row) => columns.map((column) => this.dataSource.driver.preparePersistentValue(row[column.propertyName as keyof T], column)));
    const names = columns.map((column) => this.dataSource.driver.escape(column.databaseName)).join(', ');
    await tx.query(`INSERT INTO ${this.table} (${names}) VALUES ${rows.map(() => tuple).join(', ')}`, parameters);
  }

  /** Runs a writing statement (in `tx`'s transaction when it has one); returns the rows it affected. */
  async execute(tx: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
    const runner = tx.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      return (await runner.query(sql, parameters, true)).affected ?? 0;
    } finally {
      if (runner !== tx.queryRunner) await runner.release();
    }
  }

  private metadataOf(property: string): ColumnMetadata {
    const column = this.byProperty.get(property);
    if (!column) throw new Error(`${this.table} has no column for ${property}`);
    return column;
  }
}
