import { Controller, Get, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '../../../common/openapi';
import { AdminApi } from '../admin-api.decorator';
import { CurrentActor } from '../current-actor.decorator';
import { AlbSettingsService } from '../../config/alb-settings.service';
import { AlbSettingsDto } from './alb-settings.dto';
import { AdminBody } from '../admin-params';

@ApiTags('settings')
@AdminApi()
@Controller('api/alb-auth/settings')
export class AlbSettingsController {
  constructor(private readonly settings: AlbSettingsService) {}

  @Get()
  @ApiOkResponse({ description: '{ usernameClaim, userSync, accessGroups, logout }' })
  get() {
    return this.settings.get();
  }

  @Put()
  @ApiNotFoundResponse({ description: 'NOT_FOUND: userSync.connectorId names no connector' })
  put(@AdminBody() dto: AlbSettingsDto, @CurrentActor() actor: string) {
    return this.settings.put(dto, actor);
  }
}
