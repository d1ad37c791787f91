import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayAccess } from '../auth/access.guard';
import { ApiKeyRing } from '../auth/api-keys';
import { GatewayConfig } from '../config';
import { dataCacheKey } from '../data/data-reads';
import { LIST_CODE, ViewCache } from './view-cache';
import { sendView, viewCacheControl } from './view-reply';

/** The routes ViewsController declares, as Fastify names them. */
const LIST_ROUTE = '/api/v1/operations';
const VIEW_ROUTE = '/api/v1/operations/:code';

/**
 * Answers cache hits of the two read routes in Fastify's preHandler, before Nest's pipeline
 * (guards, pipes, parameter decorators, the handler's promise) runs: on a hit that pipeline
 * is most of a read's cost. What runs before the preHandler still runs for every request
 * (rate limit, CORS), and so do the hooks after it (x-request-id, the request's log line).
 *
 * Everything else falls through to ViewsController unchanged: a miss (it loads and stores),
 * a query it would refuse, a request without the read role. A hit needs no validation of its
 * own: the cache stores only keys the controller built from validated parts, so a key made
 * of anything else misses.
 */
export function answerCachedReads(fastify: FastifyInstance, cache: ViewCache, ring: ApiKeyRing, config: GatewayConfig): void {
  const cacheControl = viewCacheControl(config);
  fastify.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    // Access before the lookup, so a hit is counted (and kept fresh) only when it is answered.
    const key = request.method === 'GET' ? cacheKeyOf(request) : undefined;
    const view = key !== undefined && mayAccess(ring, config, request, 'read') ? cache.lookup(key) : undefined;
    if (view === undefined) {
      done();
      return;
    }
    sendView(reply, view, request.headers['if-none-match'], cacheControl);
  });
}

function cacheKeyOf(request: FastifyRequest): string | undefined {
  const route = request.routeOptions.url;
  if (route === LIST_ROUTE) return ViewCache.key(LIST_CODE, '', '');
  // The data API's JSON lists (data/data-reads.ts): a repeated query costs what a view read does.
  const data = dataCacheKey(request);
  if (data !== undefined) return data;
  if (route !== VIEW_ROUTE) return undefined;
  const { code } = request.params as { code?: unknown };
  const { year = '', lang = '', asOf } = request.query as { year?: unknown; lang?: unknown; asOf?: unknown };
  // A view as of an instant is not the live view the cache holds: the controller answers it.
  if (asOf !== undefined) return undefined;
  // Given twice, a parameter arrives as an array: the controller refuses that with a 400.
  if (typeof code !== 'string' || typeof year !== 'string' || typeof lang !== 'string') return undefined;
  return ViewCache.key(code, year, lang);
}
