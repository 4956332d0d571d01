import { Controller, Get, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '../../../common/openapi';
import { CurrentAdmin } from '../current-admin.decorator';
import { AdminLockout } from './admin-lockout.service';
import { AdminApi } from '../admin-api.decorator';
import { CurrentActor } from '../current-actor.decorator';
import { AlbSettingsService } from '../../config/alb-settings.service';
import { AlbSettingsDto } from './alb-settings.dto';
import { AdminBody } from '../admin-params';
import { AlbSettingsView } from './alb-settings.view';

@ApiTags('settings')
@AdminApi()
@Controller('api/alb-auth/settings')
export class AlbSettingsController {
  constructor(
    private readonly settings: AlbSettingsService,
    private readonly lockout: AdminLockout,
  ) {}

  @Get()
  @ApiOkResponse({ type: AlbSettingsView })
  get(): Promise<AlbSettingsView> {
    return this.settings.get();
  }

  @Put()
  @ApiOkResponse({ type: AlbSettingsView })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: userSync.connectorId names no connector' })
  @ApiUnprocessableEntityResponse({ description: 'CONFIRMATION_REQUIRED: the change would take your admin rights away; send carryOverAdmins: true or confirmLockout: true' })
  put(@AdminBody() dto: AlbSettingsDto, @CurrentActor() actor: string, @CurrentAdmin() admin: unknown): Promise<AlbSettingsView> {
    const { carryOverAdmins, confirmLockout, ...change } = dto;
    return this.settings.put(change, actor, (tx, next) => this.lockout.check(tx, admin, { settings: next }, { carryOverAdmins, confirmLockout }));
  }
}
