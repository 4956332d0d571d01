import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '../../common/openapi';
import { AdminApi } from './admin-api.decorator';
import { Page } from '../../common/pagination/page-query.dto';
import { PageOf } from '../../common/pagination/page.view';
import { TransformationView } from './transformations.view';
import { TransformationRegistry } from '../mapping/transformation-registry';

@ApiTags('connectors')
@AdminApi()
@Controller('api/user-sync/transformations')
export class TransformationsController {
  constructor(private readonly registry: TransformationRegistry) {}

  @Get()
  @ApiOkResponse({ type: PageOf(TransformationView), description: 'every transformation type, built-in and custom, with its options' })
  list(): Page<TransformationView> {
    const items = this.registry.describe();
    return { items, total: items.length };
  }
}
