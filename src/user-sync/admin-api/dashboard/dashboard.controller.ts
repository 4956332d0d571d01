import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '../../../common/openapi';
import { AdminApi } from '../admin-api.decorator';
import { DashboardService } from './dashboard.service';
import { DashboardView } from './dashboard.view';

@ApiTags('dashboard')
@AdminApi()
@Controller('api/user-sync/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @ApiOkResponse({ type: DashboardView, description: 'sign-ins, first logins and refusals per hour (24 h) and day (14 days), refusals by code, directory sizes, the last cleanup runs' })
  get(): Promise<DashboardView> {
    return this.dashboard.get();
  }
}
