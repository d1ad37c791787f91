import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { mayAccess } from '../auth/access.guard';
import { ApiKeyRing } from '../auth/api-keys';
import { CachedRoute } from '../cached-answers/cached-answers';
import { FrontDoorSettings } from '../cached-answers/front-door';
import { GatewayConfig } from '../config';
import { DATA_ROUTES, dataReadOf } from '../data/data-reads';
import { LIST_CODE, ViewCache } from './view-cache';

/** The routes ViewsController declares, as Fastify names them. */
const LIST_ROUTE = '/api/v1/operations';
const VIEW_ROUTE = '/api/v1/operations/:code';

/**
 * The read routes whose answers the view cache holds, as answerFromCache serves them: a hit is
 * answered before Nest's pipeline (guards, pipes, parameter decorators, the handler's promise),
 * on a hit most of a read's cost. The data API's lists (data/data-reads.ts), JSON and CSV, are
 * among them. Views and the list are answered earlier still, at the front door
 * (frontDoorLookup); what it passes on (a cross-origin read, say) is answered here.
 *
 * Everything else falls through to ViewsController or DataController unchanged: a miss (it
 * loads and stores), a query it would refuse, a request without the read role. A hit needs no
 * validation of its own: the cache stores only keys the controllers built from validated parts
 * (or, for the data API, a query the aggregator accepted), so a key made of anything else misses.
 */
export function cachedViewRoutes(cache: ViewCache, ring: ApiKeyRing, config: GatewayConfig): CachedRoute[] {
  // Access before the lookup, so a hit is counted (and kept fresh) only when it is answered; a
  // CSV export's validator answers only a matching If-None-Match (ViewCache.lookup).
  const lookup = (key: string | undefined, request: FastifyRequest) =>
    key !== undefined && mayAccess(ring, config, request, 'read') ? cache.lookup(key, request.headers['if-none-match']) : undefined;
  return [
    { url: LIST_ROUTE, lookup: (request) => lookup(ViewCache.key(LIST_CODE, '', ''), request) },
    { url: VIEW_ROUTE, lookup: (request) => lookup(viewKeyOf(request), request) },
    ...DATA_ROUTES.map((url) => ({ url, lookup: (request: FastifyRequest) => lookup(dataReadOf(request)?.key, request) })),
  ];
}

/** The same views and list for the front door, which has parsed the path and query itself. */
export function frontDoorLookup(cache: ViewCache, ring: ApiKeyRing, config: GatewayConfig): FrontDoorSettings['lookup'] {
  const listKey = ViewCache.key(LIST_CODE, '', '');
  return (request: IncomingMessage, code: string | undefined, year: string, lang: string) =>
    mayAccess(ring, config, request, 'read')
      ? cache.lookup(code === undefined ? listKey : ViewCache.key(code, year, lang), request.headers['if-none-match'])
      : undefined;
}

function viewKeyOf(request: FastifyRequest): string | undefined {
  const { code } = request.params as { code?: unknown };
  const { year = '', lang = '', asOf } = request.query as { year?: unknown; lang?: unknown; asOf?: unknown };
  // A view as of an instant is not the live view the cache holds: the controller answers it.
  if (asOf !== undefined) return undefined;
  // Given twice, a parameter arrives as an array: the controller refuses that with a 400.
  if (typeof code !== 'string' || typeof year !== 'string' || typeof lang !== 'string') return undefined;
  return ViewCache.key(code, year, lang);
}
