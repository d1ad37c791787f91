import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LANGS, parseAsOf } from '@focus/contracts';
import { badRequest, OperationCodePipe, RequestId, YearPipe } from '@focus/service-kit';
import { RequiresAccess } from '../auth/access.guard';
import { ApiAsOf } from '../history/history-docs';
import { HistoryService } from '../history/history.service';
import { ApiRead } from '../openapi/api-docs';
import { ViewsService } from './views.service';
import { sendRead } from './view-reply';

@ApiTags('operations')
@Controller('api/v1/operations')
export class ViewsController {
  constructor(
    private readonly views: ViewsService,
    private readonly history: HistoryService,
  ) {}

  @Get()
  @RequiresAccess('read')
  @ApiOperation({ operationId: 'listOperations', summary: 'Every operation with its name and the years it has data for.' })
  @ApiRead('list')
  async list(@Headers('if-none-match') ifNoneMatch: string | undefined, @RequestId() requestId: string, @Res() reply: FastifyReply) {
    sendRead(reply, await this.views.operations(requestId), ifNoneMatch);
  }

  @Get(':code')
  @RequiresAccess('read')
  @ApiOperation({
    operationId: 'getOperationView',
    summary: "An operation's combined view, as a portal renders it.",
    description:
      "Served from the gateway's cache, dropped whenever the aggregator publishes operation-view.updated. " +
      'The ETag is "<version>-<year>-<lang>" of the view, equal on every replica; send it back in If-None-Match for a 304.',
  })
  @ApiRead('view')
  @ApiAsOf()
  async view(
    @Param('code', OperationCodePipe) code: string,
    @Query('year') year: string | string[] | undefined,
    @Query('lang') lang: string | string[] | undefined,
    @Query('asOf') asOf: string | string[] | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @RequestId() requestId: string,
    @Res() reply: FastifyReply,
  ) {
    const yearValue = year === undefined ? '' : String(new YearPipe().transform(single(year, 'year')));
    const langValue = lang === undefined ? '' : single(lang, 'lang');
    if (langValue && !(LANGS as readonly string[]).includes(langValue)) {
      throw badRequest(`"${langValue.slice(0, 10)}" is not a language.`, [
        { field: 'lang', message: `must be one of ${LANGS.join(', ')}` },
      ]);
    }
    if (asOf !== undefined) {
      // The page as it stood: from the aggregator's revisions, past the view cache (see HistoryService).
      const parsed = parseAsOf(single(asOf, 'asOf'));
      if (!parsed.ok) throw badRequest(`asOf ${parsed.message}.`, [{ field: 'asOf', message: parsed.message }]);
      HistoryService.relay(reply, await this.history.viewAsOf(code, single(asOf, 'asOf'), yearValue, langValue, requestId, ifNoneMatch));
      return;
    }
    sendRead(reply, await this.views.view(code, yearValue, langValue, requestId), ifNoneMatch);
  }
}

function single(value: string | string[], name: string): string {
  if (Array.isArray(value)) throw badRequest(`${name} is given more than once.`, [{ field: name, message: 'must be given once' }]);
  return value;
}
