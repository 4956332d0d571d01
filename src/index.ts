// The public API for host apps (CONTRACT.md §7). First: UserSync's optional peers present, or a clear error.
import './user-sync/peer-dependencies';
export * from './alb-auth';
export { UserSyncModule } from './user-sync/user-sync.module';
export type { UserSyncModuleOptions } from './user-sync/user-sync.options';
export type { UserSyncModuleAsyncOptions, UserSyncModuleExtras, UserSyncModuleForRootOptions } from './user-sync/user-sync.module-definition';
export { NO_MATCH, CUSTOM_TRANSFORMATIONS } from './user-sync/mapping/attribute-transformation.interface';
export type {
  AttributeTransformation,
  TransformFn,
  TransformationOutput,
  TransformationOptionSpec,
} from './user-sync/mapping/attribute-transformation.interface';
export type { UserSyncPrincipal } from './user-sync/login/principal';
export { ALB_USERSYNC_ENTITIES } from './user-sync/store/entities';
export { MYSQL_MIGRATIONS, SQLITE_MIGRATIONS } from './database/migrations';
export { DomainError } from './common/errors/domain-error';
export { ErrorCode } from './common/errors/error-code.enum';
export { DomainExceptionFilter } from './common/errors/domain-exception.filter';
// signAlbToken, for a host app's tests: the testing entry point (src/testing).
