import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { notFound } from '@focus/service-kit';
import { RebuildService, RebuildStatus } from './rebuild.service';

/**
 * Internal: the aggregator's own port, which the gateway does not route to. `npm run
 * views:rebuild` drives it.
 */
@Controller('admin/rebuild')
export class RebuildController {
  constructor(private readonly rebuild: RebuildService) {}

  @Post()
  @HttpCode(202)
  start(): Promise<RebuildStatus> {
    return this.rebuild.start();
  }

  @Get()
  status(): RebuildStatus {
    const status = this.rebuild.current();
    if (!status) throw notFound('No rebuild has run since this instance started.');
    return status;
  }
}
