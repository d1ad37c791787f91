import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PageQueryDto, parseAsOf, UNEARMARKED_OPERATION_CODE, YEAR_MAX, YEAR_MIN } from '@focus/contracts';
import { badRequest, notFound, OperationCodePipe } from '@focus/service-kit';
import { buildView } from '../view/build-view';
import { ProjectionStore } from '../projection/projection.store';
import { contributionsToLookUp, stateAsOf } from './as-of';
import { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor';
import { AsOfViewQuery } from './history.query';
import { presentRevision } from './present-revision';
import { isContributionType } from './revision';
import { RevisionStore } from './revision-store';

const DEFAULT_PAGE_SIZE = 50;
/** Entity ids are natural keys joined with ':' (entityIds) or contribution UUIDs. */
const ENTITY_ID = /^[A-Za-z0-9:_-]{1,300}$/;
/**
 * How long after an instant its answer may still change: an event reaches the aggregator a
 * little after it occurred (outbox relay, broker), and is recorded at its occurredAt. Older
 * instants are answered as immutable.
 */
export const AS_OF_SETTLED_MS = 5 * 60_000;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The read side's memory: every entity's revisions, and any operation's view as it stood. */
@Controller('history')
export class HistoryController {
  constructor(
    private readonly revisions: RevisionStore,
    private readonly views: ProjectionStore,
  ) {}

  /** An entity's revisions, newest first, a page at a time; 404 if none was ever recorded. */
  @Get('entities/:entityId')
  async entity(@Param('entityId') entityId: string, @Query() query: PageQueryDto) {
    if (!ENTITY_ID.test(entityId)) {
      throw badRequest(`"${entityId.slice(0, 40)}" is not an entity id.`, [
        { field: 'entityId', message: `must match ${ENTITY_ID.source}` },
      ]);
    }
    const before = query.cursor === undefined ? undefined : decodeHistoryCursor(query.cursor);
    const limit = query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(query.limit);
    const all = await this.revisions.ofEntity(entityId);
    if (all.length === 0) throw notFound(`Focus has recorded nothing for ${entityId}.`);
    const rest = before === undefined ? all : all.filter((r) => r.version < before);
    const page = rest.slice(0, limit);
    const last = page.at(-1);
    return {
      entityId,
      items: page.map(presentRevision),
      nextCursor: rest.length > limit && last ? encodeHistoryCursor(last.version) : null,
    };
  }

  /** The combined view as Focus would have served it at `asOf` (the live view's derivations, on the state of then). */
  @Get('operations/:code')
  async operationAsOf(
    @Param('code', OperationCodePipe) code: string,
    @Query() query: AsOfViewQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const now = new Date();
    const asOf = parseAsOf(query.asOf, now);
    if (!asOf.ok) throw badRequest(`asOf ${asOf.message}.`, [{ field: 'asOf', message: asOf.message }]);
    const year = query.year === undefined ? undefined : Number(query.year);
    if (year !== undefined && (year < YEAR_MIN || year > YEAR_MAX)) {
      throw badRequest(`year must be from ${YEAR_MIN} to ${YEAR_MAX}.`, [{ field: 'year', message: 'out of range' }]);
    }
    const own = code === UNEARMARKED_OPERATION_CODE ? [] : await this.revisions.ofOperation(code);
    const live = own.some((r) => isContributionType(r.type)) ? await this.views.find(code) : null;
    const liveVersions = new Map(Object.entries(live?.contributions ?? {}).map(([id, held]) => [id, held.v]));
    const elsewhere = (await Promise.all(contributionsToLookUp(own, liveVersions).map((id) => this.revisions.ofEntity(id)))).flat();
    const found = stateAsOf(code, own, elsewhere, asOf.instant);
    if (!found)
      throw notFound(
        own.length === 0 ? `No operation ${code}.` : `Nothing about ${code} had been recorded by ${asOf.instant.toISOString()}.`,
      );
    const lang = query.lang ?? 'en';
    const view = buildView(found.state, { code, year, lang, version: found.version, updatedAt: found.lastRecordedAt });
    // The same state at the same instant gives the same ETag on every replica, for ever.
    const etag = `"${found.version}-${view.year}-${lang}@${asOf.instant.getTime()}"`;
    reply
      .header('etag', etag)
      .header('cache-control', now.getTime() - asOf.instant.getTime() > AS_OF_SETTLED_MS ? IMMUTABLE : 'public, no-cache');
    if (ifNoneMatch === etag) {
      reply.status(304);
      return undefined;
    }
    return { ...view, asOf: asOf.instant.toISOString() };
  }
}
