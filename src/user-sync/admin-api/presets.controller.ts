import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '../../common/openapi';
import { IDP_PRESETS } from '../mapping/idp-presets';
import { AdminApi } from './admin-api.decorator';
import { Page } from '../../common/pagination/page-query.dto';
import { PageOf } from '../../common/pagination/page.view';
import { PresetView } from './presets.view';

@ApiTags('connectors')
@AdminApi()
@Controller('api/user-sync/presets')
export class PresetsController {
  @Get()
  @ApiOkResponse({ type: PageOf(PresetView), description: 'IdP presets: the connector each starts from, its logout URL template, notes, references and sample claims' })
  list(): Page<PresetView> {
    return { items: [...IDP_PRESETS], total: IDP_PRESETS.length };
  }
}
