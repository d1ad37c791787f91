import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  entityIds,
  KEY_FIGURE_KINDS,
  KeyFigureKind,
  Lang,
  LANGS,
  NARRATIVE_SECTION_KEYS,
  NarrativeSectionKey,
  Pillar,
  PILLAR_NUMBERS,
  POPULATION_TYPE_CODES,
  PopulationType,
} from '@focus/contracts';
import { badRequest, OneOfPipe, OperationCodePipe, OriginQueryPipe, refuseOriginOfTotal, RequestId, YearPipe } from '@focus/service-kit';
import { RequiresAccess } from '../auth/access.guard';
import { ApiOriginQuery } from '../openapi/api-docs';
import { ApiHistory } from './history-docs';
import { HistoryService } from './history.service';

const CONTRIBUTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FIGURE_TYPES: readonly (PopulationType | 'total')[] = [...POPULATION_TYPE_CODES, 'total'];

/**
 * `…/history` under every public entity path: the entity's revisions, newest first, from the
 * read side. Each path's parts are checked here (400 naming the part), then turned into the
 * entity id the events carry (entityIds), so the aggregator is asked only about real ids.
 */
@ApiTags('history')
@Controller('api/v1')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get('operations/:code/history')
  @RequiresAccess('read')
  @ApiOperation({ operationId: 'getProfileHistory', summary: "Every revision of an operation's profile, newest first." })
  @ApiHistory(['code'])
  profile(
    @Param('code', OperationCodePipe) code: string,
    @Req() request: FastifyRequest,
    @RequestId() requestId: string,
    @Res() reply: FastifyReply,
  ) {
    return this.answer(entityIds.operationProfile(code), request, requestId, reply);
  }

  @Get('operations/:code/population/:year/:type/history')
  @RequiresAccess('read')
  @ApiOperation({
    operationId: 'getPopulationFigureHistory',
    summary: 'Every revision of a population figure (or reported total), newest first, each with its source.',
  })
  @ApiHistory(['code', 'year', 'populationType'])
  @ApiOriginQuery()
  figure(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('type', new OneOfPipe('type', FIGURE_TYPES)) type: PopulationType | 'total',
    @Query('origin', OriginQueryPipe) origin: string | undefined,
    @Req() request: FastifyRequest,
    @RequestId() requestId: string,
    @Res() reply: FastifyReply,
  ) {
    refuseOriginOfTotal(type, origin);
    const entityId = type === 'total' ? entityIds.populationTotal(code, year) : entityIds.populationFigure(code, year, type, origin);
    return this.answer(entityId, request, requestId, reply, ['origin']);
  }

  @Get('operations/:code/budget/:year/pillars/:pillar/history')
  @RequiresAccess('read')
  @ApiOperation({ operationId: 'getBudgetLineHistory', summary: 'Every revision of a budget line, newest first.' })
  @ApiHistory(['code', 'year', 'pillar'])
  budget(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('pillar', new OneOfPipe<Pillar>('pillar', PILLAR_NUMBERS)) pillar: Pillar,
    @Req() request: FastifyRequest,
    @RequestId() requestId: string,
    @Res() reply: FastifyReply,
  ) {
    return this.answer(entityIds.budgetLine(code, year, pillar), request, requestId, reply);
  }

  @Get('operations/:code/key-figures/:year/:kind/history')
  @RequiresAccess('read')
  @ApiOperation({ operationId: 'getKeyFiguresHistory', summary: 'Every revision of a key-figure set, newest first.' })
  @ApiHistory(['code', 'year', 'kind'])
  keyFigures(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('kind', new OneOfPipe<KeyFigureKind>('kind', KEY_FIGURE_KINDS)) kind: KeyFigureKind,
    @Req() request: FastifyRequest,
    @RequestId() requestId: string,
    @Res() reply: FastifyReply,
  ) {
    return this.answer(entityIds.keyFigureSet(code, year, kind), request, requestId, reply);
  }

  @Get('operations/:code/narratives/:year/:lang/:section/history')
  @RequiresAccess('read')
  @ApiOperation({ operationId: 'getNarrativeSectionHistory', summary: 'Every revision of a narrative section, newest first.' })
  @ApiHistory(['code', 'year', 'lang', 'section'])
  section(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('lang', new OneOfPipe<Lang>('lang', LANGS)) lang: Lang,
    @Param('section', new OneOfPipe<NarrativeSectionKey>('section', NARRATIVE_SECTION_KEYS)) section: NarrativeSectionKey,
    @Req() request: FastifyRequest,
    @RequestId() requestId: string,
    @Res() reply: FastifyReply,
  ) {
    return this.answer(entityIds.narrativeSection(code, year, lang, section), request, requestId, reply);
  }

  @Get('contributions/:id/history')
  @RequiresAccess('read')
  @ApiOperation({
    operationId: 'getContributionHistory',
    summary: 'Every revision of a contribution, newest first (corrections, cancellation, moves to another operation).',
  })
  @ApiHistory(['contributionId'])
  contribution(@Param('id') id: string, @Req() request: FastifyRequest, @RequestId() requestId: string, @Res() reply: FastifyReply) {
    if (!CONTRIBUTION_ID.test(id))
      throw badRequest(`"${id.slice(0, 40)}" is not a contribution id.`, [{ field: 'id', message: 'must be a UUID' }]);
    return this.answer(entityIds.contribution(id), request, requestId, reply);
  }

  /** `own`: query parameters of the route itself, not passed on to the aggregator (which checks the paging ones). */
  private async answer(
    entityId: string,
    request: FastifyRequest,
    requestId: string,
    reply: FastifyReply,
    own: string[] = [],
  ): Promise<void> {
    const at = request.url.indexOf('?');
    let search = at < 0 ? '' : request.url.slice(at);
    if (own.length > 0 && search) {
      const query = new URLSearchParams(search);
      for (const name of own) query.delete(name);
      search = query.size > 0 ? `?${query}` : '';
    }
    HistoryService.relay(reply, await this.history.entity(entityId, search, requestId));
  }
}
