import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { CONTRIBUTION_COLUMNS } from '@focus/contracts';
import { badRequest } from '@focus/service-kit';
import { Upstreams } from '../upstream/upstreams';

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
 * GET /api/v1/contributions as CSV (format=csv or Accept: text/csv): the same rows as its JSON
 * list, newest first, walked page by page from the contributions service and streamed, so a
 * page at a time is held. With a limit, one page (its nextCursor in Next-Cursor). Contributions
 * are the one list the read side does not hold whole (a view keeps only its operation's, and
 * cancelled ones too), so this list is the owner's, as its JSON is.
 */
@Injectable()
export class ContributionsCsv {
  constructor(private readonly upstreams: Upstreams) {}

  async send(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const query = new URLSearchParams();
    let hxl = false;
    for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
      if (typeof value !== 'string') throw badRequest(`${name} is given more than once.`, [{ field: name, message: 'must be given once' }]);
      if (name === 'hxl') {
        if (value !== 'true' && value !== 'false')
          throw badRequest('hxl must be true or false.', [{ field: 'hxl', message: 'must be true or false' }]);
        hxl = value === 'true';
      } else if (name !== 'format') query.set(name, value);
    }
    const onePage = query.has('limit');
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
      // The owner's problem+json (a 400 or 422 naming the parameter), as its JSON list answers it.
      const type = first.headers['content-type'];
      if (typeof type === 'string') reply.header('content-type', type);
      reply.status(first.statusCode).send(first.body);
      return;
    }
    const firstBody = JSON.parse(first.body.toString('utf8')) as { items: ListedContribution[]; nextCursor: string | null };
    const head =
      CONTRIBUTION_COLUMNS.map((c) => c.header).join(',') + '\r\n' + (hxl ? CONTRIBUTION_COLUMNS.map((c) => c.hxl).join(',') + '\r\n' : '');
    reply.header('content-type', 'text/csv; charset=utf-8');
    if (onePage) {
      if (firstBody.nextCursor) reply.header('next-cursor', firstBody.nextCursor);
      reply.send(head + firstBody.items.map(line).join(''));
      return;
    }
    const rest = async function* (next: (cursor: string) => Promise<{ statusCode: number; body: Buffer }>): AsyncGenerator<string> {
      yield head + firstBody.items.map(line).join('');
      let cursor = firstBody.nextCursor;
      while (cursor) {
        const response = await next(cursor);
        // Headers are gone: a failure mid-export can only end the stream, which the client sees as cut.
        if (response.statusCode !== 200) throw new Error(`contributions page answered ${response.statusCode}`);
        const body = JSON.parse(response.body.toString('utf8')) as { items: ListedContribution[]; nextCursor: string | null };
        yield body.items.map(line).join('');
        cursor = body.nextCursor;
      }
    };
    reply.header('content-disposition', 'attachment; filename="contributions.csv"').send(Readable.from(rest(page)));
  }
}
