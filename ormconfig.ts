import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './src/database/data-source-options';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './src/database/database-url';
import { ALB_USERSYNC_ENTITIES } from './src/user-sync/store/entities';

/** The one DataSource definition for the TypeORM CLI; the service builds it from the same function. */
export default new DataSource(buildDataSourceOptions(parseDatabaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL), ALB_USERSYNC_ENTITIES));
