import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestId } from '@focus/service-kit';
import { RequiresAccess } from '../auth/access.guard';
import { API_PREFIX } from '../upstream/upstreams';
import { sendRead } from '../views/view-reply';
import { ViewsService } from '../views/views.service';
import { ApiAvailability, ApiDataList } from './data-docs';
import { DataRead, dataReadOf } from './data-reads';

/**
 * The data API: lists across operations and years, answered by the aggregator from its views.
 * Pages, JSON or CSV, go through the view cache (dropped on any operation-view.updated, since
 * any operation may be in them) with the aggregator's ETag; a CSV export is streamed through,
 * and only its ETag is kept, for 304s (data-reads.ts says why).
 */
@ApiTags('data')
@Controller('api/v1')
export class DataController {
  constructor(private readonly views: ViewsService) {}

  @Get('population')
  @RequiresAccess('read')
  @ApiDataList('population')
  population(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Headers('if-none-match') inm: string | undefined,
    @RequestId() id: string,
  ) {
    return this.read(request, reply, inm, id);
  }

  @Get('budget')
  @RequiresAccess('read')
  @ApiDataList('budget')
  budget(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Headers('if-none-match') inm: string | undefined,
    @RequestId() id: string,
  ) {
    return this.read(request, reply, inm, id);
  }

  @Get('key-figures')
  @RequiresAccess('read')
  @ApiDataList('key-figures')
  keyFigures(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Headers('if-none-match') inm: string | undefined,
    @RequestId() id: string,
  ) {
    return this.read(request, reply, inm, id);
  }

  @Get('reference/availability')
  @RequiresAccess('read')
  @ApiAvailability()
  availability(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Headers('if-none-match') inm: string | undefined,
    @RequestId() id: string,
  ) {
    return this.read(request, reply, inm, id);
  }

  private async read(request: FastifyRequest, reply: FastifyReply, ifNoneMatch: string | undefined, requestId: string): Promise<void> {
    // (Never undefined: these routes are DATA_ROUTES.)
    const read = dataReadOf(request) as DataRead;
    if (!read.held) {
      await this.views.dataExport(read, request, reply);
      return;
    }
    sendRead(reply, await this.views.data(read, request.url.slice(API_PREFIX.length), requestId), ifNoneMatch);
  }
}
