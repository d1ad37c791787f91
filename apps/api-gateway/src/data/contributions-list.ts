import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { CONTRIBUTION_COLUMNS } from '@focus/contracts';
import { badRequest, ContentEtag, InjectConfig } from '@focus/service-kit';
import { matchesIfNoneMatch } from '../cached-answers/prepared-answer';
import { GatewayConfig } from '../config';
import { UpstreamResponse, Upstreams } from '../upstream/upstreams';
import { viewCacheControl } from '../views/view-reply';
import { wantsCsv } from './data-reads';

/** The owner's largest page: an export walks its pages at this size. */
const PAGE = 200;

interface ListedContribution {
  id: string;
  date: string;
  donor: { name: string; type: string };
  amountUsd?: number;
  operationCode?: string;
  status: string;
}

interface ListPage {
  items: ListedContribution[];
  nextCursor: string | null;
}

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(item: ListedContribution): string {
  const flat: Record<string, unknown> = { ...item, donorName: item.donor.name, donorType: item.donor.type };
  return CONTRIBUTION_COLUMNS.map((column) => field(flat[column.field])).join(',') + '\r\n';
}

/**
 * GET /api/v1/contributions, as JSON or as CSV (format=csv or Accept: text/csv): the owner's
 * list, newest first. Contributions are the one list the read side does not hold whole (a view
 * keeps only its operation's, and cancelled ones too), so this list is the owner's, read a page
 * at a time; the gateway does not cache it (no event tells it of every change, an unearmarked
 * contribution's included) but names every answer by its content, so a client that has it is
 * answered 304 as for any other read.
 *
 * CSV: the same rows as the JSON list. With a limit, one page (its nextCursor in Next-Cursor);
 * without, the whole list, streamed, so a page at a time is held. An export's ETag is known
 * only after every page was read: the pages are read once to name it (a 304 ends there) and
 * again to send them. What is sent is then as new as its ETag or newer, never older, so a
 * revalidation never keeps a client on rows that changed.
 */
@Injectable()
export class ContributionsList {
  private readonly cacheControl: string;

  constructor(
    private readonly upstreams: Upstreams,
    @InjectConfig() config: GatewayConfig,
  ) {
    this.cacheControl = viewCacheControl(config);
  }

  async send(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const csv = wantsCsv(request);
    const query = new URLSearchParams();
    let hxl = false;
    for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
      if (typeof value !== 'string') throw badRequest(`${name} is given more than once.`, [{ field: name, message: 'must be given once' }]);
      if (csv && name === 'hxl') {
        if (value !== 'true' && value !== 'false')
          throw badRequest('hxl must be true or false.', [{ field: 'hxl', message: 'must be true or false' }]);
        hxl = value === 'true';
      } else if (!csv || name !== 'format') query.set(name, value);
    }
    const onePage = !csv || query.has('limit');
    if (!onePage) query.set('limit', String(PAGE));
    const page = (cursor?: string) => {
      const params = new URLSearchParams(query);
      if (cursor) params.set('cursor', cursor);
      return this.upstreams.get('contributions', `/contributions?${params}`, {
        accept: 'application/json',
        'x-request-id': String(request.id),
      });
    };
    const first = await page(query.get('cursor') ?? undefined);
    if (first.statusCode !== 200) {
      // The owner's problem+json (a 400 or 422 naming the parameter), as it answers it.
      const type = first.headers['content-type'];
      if (typeof type === 'string') reply.header('content-type', type);
      reply.status(first.statusCode).send(first.body);
      return;
    }
    const firstPage = JSON.parse(first.body.toString('utf8')) as ListPage;
    const ifNoneMatch = request.headers['if-none-match'];
    const answer = (etag: string, body: () => string | Buffer | Readable): void => {
      reply.header('etag', etag).header('cache-control', this.cacheControl);
      if (matchesIfNoneMatch(ifNoneMatch, etag)) reply.status(304).send();
      else reply.send(body());
    };
    if (!csv) {
      reply.header('content-type', 'application/json; charset=utf-8');
      answer(ContentEtag.of(first.body), () => first.body);
      return;
    }
    const head =
      CONTRIBUTION_COLUMNS.map((c) => c.header).join(',') + '\r\n' + (hxl ? CONTRIBUTION_COLUMNS.map((c) => c.hxl).join(',') + '\r\n' : '');
    reply.header('content-type', 'text/csv; charset=utf-8');
    if (onePage) {
      if (firstPage.nextCursor) reply.header('next-cursor', firstPage.nextCursor);
      const text = head + firstPage.items.map(line).join('');
      answer(ContentEtag.of(text), () => text);
      return;
    }
    const etag = new ContentEtag().update(head).update(first.body);
    for await (const next of laterPages(firstPage, page)) etag.update(next.body);
    reply.header('content-disposition', 'attachment; filename="contributions.csv"');
    answer(etag.digest(), () => Readable.from(rows(head, firstPage, page)));
  }
}

/** The pages after `first`, each read when asked for. */
async function* laterPages(
  first: ListPage,
  page: (cursor: string) => Promise<UpstreamResponse>,
): AsyncGenerator<UpstreamResponse & { parsed: ListPage }> {
  let cursor = first.nextCursor;
  while (cursor) {
    const response = await page(cursor);
    // Once the export's headers are sent, a failure can only end the stream, which the client sees as cut.
    if (response.statusCode !== 200) throw new Error(`contributions page answered ${response.statusCode}`);
    const parsed = JSON.parse(response.body.toString('utf8')) as ListPage;
    yield { ...response, parsed };
    cursor = parsed.nextCursor;
  }
}

async function* rows(head: string, first: ListPage, page: (cursor: string) => Promise<UpstreamResponse>): AsyncGenerator<string> {
  yield head + first.items.map(line).join('');
  for await (const next of laterPages(first, page)) yield next.parsed.items.map(line).join('');
}
