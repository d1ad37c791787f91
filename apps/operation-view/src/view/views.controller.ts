import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UNEARMARKED_OPERATION_CODE, VIEW_VERSION_HEADER, YEAR_MAX, YEAR_MIN } from '@focus/contracts';
import { badRequest, notFound, OperationCodePipe } from '@focus/service-kit';
import { ProjectionStore } from '../projection/projection.store';
import { buildView, yearsWithData } from './build-view';
import { ViewQuery } from './view.query';

@Controller('operations')
export class ViewsController {
  constructor(private readonly store: ProjectionStore) {}

  /** Every operation with a view: code, names, and the years that have data. */
  @Get()
  async list() {
    const views = await this.store.list();
    return views
      .filter((v) => v._id !== UNEARMARKED_OPERATION_CODE)
      .map((v) => ({ code: v._id, name: v.profile?.s?.name ?? null, years: yearsWithData(v), version: v.version }));
  }

  /** The combined view for a year (default: the latest with reported figures, see defaultYear) and a language (default en). */
  @Get(':code')
  async view(
    @Param('code', OperationCodePipe) code: string,
    @Query() query: ViewQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const year = query.year === undefined ? undefined : Number(query.year);
    if (year !== undefined && (year < YEAR_MIN || year > YEAR_MAX))
      throw badRequest(`year must be from ${YEAR_MIN} to ${YEAR_MAX}.`, [{ field: 'year', message: 'out of range' }]);
    const document = code === UNEARMARKED_OPERATION_CODE ? null : await this.store.find(code);
    if (!document) throw notFound(`No operation ${code}.`);
    const lang = query.lang ?? 'en';
    const view = buildView(document, { code, year, lang, version: document.version, updatedAt: new Date(document.updatedAt) });
    // Equal on every replica: the view's version and the representation asked for.
    const etag = `"${document.version}-${view.year}-${lang}"`;
    reply.header('etag', etag).header(VIEW_VERSION_HEADER, String(document.version));
    if (ifNoneMatch === etag) {
      reply.status(304);
      return undefined;
    }
    return view;
  }
}
