import type { FastifyRequest } from 'fastify';

/** The data API's list routes, as Fastify names them. */
export const DATA_ROUTES = ['/api/v1/population', '/api/v1/budget', '/api/v1/key-figures', '/api/v1/reference/availability'];

/**
 * Whether a data request asks for CSV: `format=csv`, or `Accept: text/csv` without a format.
 * CSV exports are streamed from the aggregator, never held in the gateway's cache: the whole
 * population table by origin is megabytes, and the gateway must stay under its heap ceiling.
 */
export function wantsCsv(request: FastifyRequest): boolean {
  const { format } = request.query as { format?: unknown };
  if (format !== undefined) return format === 'csv';
  return String(request.headers.accept ?? '').includes('text/csv');
}

/**
 * The cache key of a JSON data answer: the path and query string as sent. Two spellings of one
 * query are two entries (both bounded by the cache's size); the aggregator's ETag is the same
 * for both, so a client's If-None-Match works across them.
 */
export function dataCacheKey(request: FastifyRequest): string | undefined {
  const route = request.routeOptions.url;
  if (route === undefined || !DATA_ROUTES.includes(route) || wantsCsv(request)) return undefined;
  return `data|${request.url}`;
}
