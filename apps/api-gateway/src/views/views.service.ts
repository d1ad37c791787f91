import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VIEW_VERSION_HEADER } from '@focus/contracts';
import { ContentEtag, InjectConfig } from '@focus/service-kit';
import { GatewayConfig } from '../config';
import { DataRead } from '../data/data-reads';
import { UpstreamResponse, Upstreams } from '../upstream/upstreams';
import { CachedView, DATA_CODE, LIST_CODE, ViewCache } from './view-cache';
import { viewCacheControl } from './view-reply';

/** What a read answers: a view (or the list, or a data API list) to send, or the aggregator's error as it came. */
export type ReadResult = { ok: true; view: CachedView } | { ok: false; response: UpstreamResponse };

/** Reads from the aggregator through the cache. */
@Injectable()
export class ViewsService {
  readonly cache: ViewCache;
  private readonly cacheControl: string;

  constructor(
    private readonly upstreams: Upstreams,
    @InjectConfig() config: GatewayConfig,
  ) {
    this.cache = new ViewCache(config.VIEW_CACHE_MAX_ENTRIES, config.VIEW_CACHE_TTL_MS);
    this.cacheControl = viewCacheControl(config);
  }

  operations(requestId?: string): Promise<ReadResult> {
    return this.read(LIST_CODE, ViewCache.key(LIST_CODE, '', ''), '/operations', requestId);
  }

  /** year and lang as the client gave them ('' when absent: the aggregator's defaults). */
  view(code: string, year: string, lang: string, requestId?: string): Promise<ReadResult> {
    const query = new URLSearchParams();
    if (year) query.set('year', year);
    if (lang) query.set('lang', lang);
    const path = `/operations/${encodeURIComponent(code)}${query.size ? `?${query}` : ''}`;
    return this.read(code, ViewCache.key(code, year, lang), path, requestId);
  }

  /** A data API page, JSON or CSV (`read.held`); `path` is the aggregator's, query included. */
  data(read: DataRead, path: string, requestId?: string): Promise<ReadResult> {
    return this.read(DATA_CODE, read.key, path, requestId, read.accept);
  }

  /**
   * A data API CSV export (`read.held` false), streamed from the aggregator to the client with
   * the Cache-Control of every read. Only its ETag is kept (ViewCache.keep), so a client that
   * has it is answered 304 from the cache next time.
   */
  async dataExport(read: DataRead, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await this.cache.keep(read.key, DATA_CODE, async () => {
      await this.upstreams.forward('operationView', request, reply, { answerHeaders: { 'cache-control': this.cacheControl } });
      const etag = reply.getHeader('etag');
      const validated = reply.statusCode === 200 || reply.statusCode === 304;
      return validated && typeof etag === 'string' ? new CachedView(etag, undefined, '', this.cacheControl) : undefined;
    });
  }

  /** A miss asks the aggregator under the request's id, so both logs name the same request. */
  private async read(code: string, key: string, path: string, requestId?: string, accept = 'application/json'): Promise<ReadResult> {
    let failure: UpstreamResponse | undefined;
    const view = await this.cache.get(key, code, async () => {
      const response = await this.upstreams.get('operationView', path, { accept, ...(requestId ? { 'x-request-id': requestId } : {}) });
      if (response.statusCode !== 200) {
        failure = response;
        return { value: new CachedView('', response.body, '', ''), cacheable: false };
      }
      return { value: toCachedView(response, this.cacheControl), cacheable: true };
    });
    return failure ? { ok: false, response: failure } : { ok: true, view };
  }
}

/** Headers of the aggregator's answer that describe it (a CSV page's next page), kept with its bytes. */
const CARRIED_HEADERS = ['link', 'next-cursor'];

/**
 * The aggregator's ETag ("<version>-<year>-<lang>", equal on every replica); for an answer
 * without one, a digest of the body, which is equal on every replica too. The view's version
 * comes in a header of its own (the list has none).
 */
function toCachedView(response: UpstreamResponse, cacheControl: string): CachedView {
  const header = response.headers['etag'];
  const etag = typeof header === 'string' && header ? header : ContentEtag.of(response.body);
  const versionHeader = Number(response.headers[VIEW_VERSION_HEADER]);
  const version = Number.isSafeInteger(versionHeader) && versionHeader > 0 ? versionHeader : undefined;
  const contentType =
    typeof response.headers['content-type'] === 'string' ? response.headers['content-type'] : 'application/json; charset=utf-8';
  const carried: Record<string, string> = {};
  for (const name of CARRIED_HEADERS) {
    const value = response.headers[name];
    if (typeof value === 'string') carried[name] = value;
  }
  return new CachedView(etag, response.body, contentType, cacheControl, version, carried);
}
