import { AlbSettingsEntity } from '../alb-auth/settings/alb-settings.entity';

/** Every entity of alb-usersync, for a host app's TypeOrmModule.forRoot({ entities }). */
export const ALB_USERSYNC_ENTITIES = [AlbSettingsEntity];
