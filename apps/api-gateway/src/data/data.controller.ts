import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestId } from '@focus/service-kit';
import { RequiresAccess } from '../auth/access.guard';
import { API_PREFIX, Upstreams } from '../upstream/upstreams';
import { sendRead } from '../views/view-reply';
import { ViewsService } from '../views/views.service';
import { ApiAvailability, ApiDataList } from './data-docs';
import { dataCacheKey } from './data-reads';

/**
 * The data API: lists across operations and years, answered by the aggregator from its views.
 * JSON pages go through the view cache (dropped on any operation-view.updated, since any
 * operation may be in them) with the aggregator's ETag; CSV is streamed through, and its ETag
 * and 304 are the aggregator's.
 */
@ApiTags('data')
@Controller('api/v1')
export class DataController {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly views: ViewsService,
  ) {}

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
    const key = dataCacheKey(request);
    if (key === undefined) {
      await this.upstreams.forward('operationView', request, reply);
      return;
    }
    sendRead(reply, await this.views.data(key, request.url.slice(API_PREFIX.length), requestId), ifNoneMatch);
  }
}
