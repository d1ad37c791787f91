import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UpstreamResponse, Upstreams } from '../upstream/upstreams';

/** Headers of the aggregator's history answers that describe the resource: passed back as they came. */
const PASSED_BACK = ['content-type', 'etag', 'cache-control', 'retry-after'];

/**
 * History and as-of reads, answered by the aggregator from the revisions it recorded (never
 * by the owners). Not cached here: an entity's history grows with every write, and an as-of
 * answer carries its own caching headers (a past instant's never changes).
 */
@Injectable()
export class HistoryService {
  constructor(private readonly upstreams: Upstreams) {}

  /** One page of an entity's revisions; `search` is the client's query string, checked by the aggregator. */
  entity(entityId: string, search: string, requestId: string): Promise<UpstreamResponse> {
    return this.upstreams.get('operationView', `/history/entities/${encodeURIComponent(entityId)}${search}`, this.headers(requestId));
  }

  /** The combined view as of an instant (already checked by parseAsOf). */
  viewAsOf(code: string, asOf: string, year: string, lang: string, requestId: string, ifNoneMatch?: string): Promise<UpstreamResponse> {
    const query = new URLSearchParams({ asOf });
    if (year) query.set('year', year);
    if (lang) query.set('lang', lang);
    return this.upstreams.get(
      'operationView',
      `/history/operations/${encodeURIComponent(code)}?${query}`,
      this.headers(requestId, ifNoneMatch),
    );
  }

  /** The aggregator's answer, status and body unchanged (problem+json included). */
  static relay(reply: FastifyReply, response: UpstreamResponse): void {
    for (const name of PASSED_BACK) {
      const value = response.headers[name];
      if (typeof value === 'string') reply.header(name, value);
    }
    reply.status(response.statusCode).send(response.statusCode === 304 ? undefined : response.body);
  }

  private headers(requestId: string, ifNoneMatch?: string): Record<string, string> {
    return { accept: 'application/json', 'x-request-id': requestId, ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}) };
  }
}
