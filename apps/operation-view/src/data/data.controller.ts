import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Dataset, OperationAvailability, UNEARMARKED_OPERATION_CODE } from '@focus/contracts';
import { badRequest } from '@focus/service-kit';
import { ViewGenerations } from '../projection/view-generations';
import { decodeView } from '../projection/stored-view';
import { availabilityOf } from './availability';
import { csvHead, csvLine } from './data-csv';
import { DataQuery, encodeCursor, parseDataQuery } from './data-query';
import { dataRows, dataVersion, unknownOperations } from './data-scan';
import { BUDGET, KEY_FIGURES, POPULATION } from './data-rows';

const DIMENSION_OF = { population: POPULATION, budget: BUDGET, 'key-figures': KEY_FIGURES };

/**
 * The data API's lists, answered from the live views: GET /population, /budget and
 * /key-figures (the gateway serves them under /api/v1), as JSON pages or CSV. The ETag is the
 * data's version (every view's version summed) and the query, equal on every replica.
 */
@Controller()
export class DataController {
  constructor(private readonly generations: ViewGenerations) {}

  @Get('population')
  population(
    @Query() query: Record<string, unknown>,
    @Headers('accept') accept: string | undefined,
    @Headers('if-none-match') inm: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    return this.answer('population', query, accept, inm, reply);
  }

  @Get('budget')
  budget(
    @Query() query: Record<string, unknown>,
    @Headers('accept') accept: string | undefined,
    @Headers('if-none-match') inm: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    return this.answer('budget', query, accept, inm, reply);
  }

  @Get('key-figures')
  keyFigures(
    @Query() query: Record<string, unknown>,
    @Headers('accept') accept: string | undefined,
    @Headers('if-none-match') inm: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    return this.answer('key-figures', query, accept, inm, reply);
  }

  /** For each operation (or those listed), the years and types it holds data for. */
  @Get('reference/availability')
  async availability(
    @Query() query: Record<string, unknown>,
    @Headers('if-none-match') inm: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    for (const name of Object.keys(query))
      if (name !== 'operation')
        throw badRequest(`${name} is not a parameter of /reference/availability (it takes operation).`, [
          { field: name, message: 'unknown parameter' },
        ]);
    const parsed = parseDataQuery('population', typeof query.operation === 'string' ? { operation: query.operation } : query, undefined);
    const views = await this.generations.current();
    const etag = `"${await dataVersion(views)}-availability-${digest(String(query.operation ?? ''))}"`;
    if (await this.notModified(reply, etag, inm)) return;
    if (parsed.operations) await this.refuseUnknown(parsed);
    const answer: OperationAvailability[] = [];
    const filter = parsed.operations ? { _id: { $in: [...parsed.operations] } } : {};
    for await (const stored of views.find(filter).sort({ _id: 1 }).batchSize(4)) {
      if (stored._id !== UNEARMARKED_OPERATION_CODE) answer.push(availabilityOf(decodeView(stored)));
    }
    reply.header('content-type', 'application/json; charset=utf-8').send(answer);
  }

  private async answer(
    dataset: Dataset,
    raw: Record<string, unknown>,
    accept: string | undefined,
    ifNoneMatch: string | undefined,
    reply: FastifyReply,
  ): Promise<void> {
    const query = parseDataQuery(dataset, raw, accept);
    const views = await this.generations.current();
    const etag = `"${await dataVersion(views)}-${dataset}-${digest(canonical(query))}"`;
    if (await this.notModified(reply, etag, ifNoneMatch)) return;
    if (query.operations) await this.refuseUnknown(query);
    const rows = dataRows(views, query);
    if (query.format === 'csv' && query.limit === undefined) {
      // The whole table: streamed, one view at a time (dataRows), never held.
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${dataset}.csv"`);
      reply.send(Readable.from(csvStream(query, rows)));
      return;
    }
    const page: Record<string, unknown>[] = [];
    let more = false;
    for await (const row of rows) {
      if (page.length === query.limit) {
        more = true;
        break;
      }
      page.push(row as Record<string, unknown>);
    }
    await rows.return(undefined);
    const last = page[page.length - 1];
    const set = DIMENSION_OF[dataset];
    const nextCursor = more && last ? encodeCursor(dataset, query.groupBy, keyOfRow(set === KEY_FIGURES, query, last)) : null;
    if (query.format === 'csv') {
      if (nextCursor) reply.header('link', `<?cursor=${nextCursor}>; rel="next"`).header('next-cursor', nextCursor);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .send(csvHead(dataset, query.groupBy, query.hxl) + page.map((row) => csvLine(dataset, query.groupBy, row)).join(''));
      return;
    }
    reply.header('content-type', 'application/json; charset=utf-8').send({ rows: page, nextCursor });
  }

  private async notModified(reply: FastifyReply, etag: string, ifNoneMatch: string | undefined): Promise<boolean> {
    reply.header('etag', etag);
    if (ifNoneMatch === undefined || !ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return false;
    await reply.status(304).send();
    return true;
  }

  private async refuseUnknown(query: DataQuery): Promise<void> {
    const unknown = await unknownOperations(await this.generations.current(), query.operations ?? []);
    if (unknown.length > 0)
      throw badRequest(`operation has codes with no data: ${unknown.join(', ')}.`, [
        { field: 'operation', message: `unknown: ${unknown.join(', ')}` },
      ]);
  }
}

async function* csvStream(query: DataQuery, rows: AsyncGenerator<unknown>): AsyncGenerator<string> {
  yield csvHead(query.dataset, query.groupBy, query.hxl);
  let chunk = '';
  for await (const row of rows) {
    chunk += csvLine(query.dataset, query.groupBy, row as Record<string, unknown>);
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** A row's key, as dataRows orders by it (origin null is ''). */
function keyOfRow(keyFigures: boolean, query: DataQuery, row: Record<string, unknown>): (string | number)[] {
  return query.groupBy.map((name) =>
    keyFigures || name !== 'origin' ? (row[name] as string | number) : ((row[name] as string | null) ?? ''),
  );
}

/** What the answer depends on, in one order whatever the query string's. */
function canonical(query: DataQuery): string {
  return JSON.stringify(query, (_, value) => (value instanceof Set ? [...value].sort() : value));
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}
