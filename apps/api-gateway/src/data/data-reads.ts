import type { FastifyRequest } from 'fastify';

/** The data API's list routes, as Fastify names them. */
export const DATA_ROUTES = ['/api/v1/population', '/api/v1/budget', '/api/v1/key-figures', '/api/v1/reference/availability'];

/** How the gateway reads one data request through the view cache. */
export interface DataRead {
  /**
   * The path and query string as sent, and the type asked for. Two spellings of one query are
   * two entries (both bounded by the cache's size); the aggregator's ETag is the same for both,
   * so a client's If-None-Match works across them.
   */
  key: string;
  /** What the aggregator is asked for: CSV asked for by Accept alone must be asked for the same way. */
  accept: 'application/json' | 'text/csv';
  /**
   * false for a CSV export (CSV without a limit): streamed from the aggregator, never held, since
   * the whole population table by origin is megabytes and the gateway must stay under its heap
   * ceiling. Only its ETag is kept, so a client that has it is answered 304 without the
   * aggregator. A JSON page or a CSV page (a limit given, at most DATA_LIMIT_MAX rows) is held.
   */
  held: boolean;
}

/** Whether a data request asks for CSV: `format=csv`, or `Accept: text/csv` without a format. */
export function wantsCsv(request: FastifyRequest): boolean {
  const { format } = request.query as { format?: unknown };
  if (format !== undefined) return format === 'csv';
  return String(request.headers.accept ?? '').includes('text/csv');
}

/** How a request to one of DATA_ROUTES is read; undefined for any other route. */
export function dataReadOf(request: FastifyRequest): DataRead | undefined {
  const route = request.routeOptions.url;
  if (route === undefined || !DATA_ROUTES.includes(route)) return undefined;
  const csv = wantsCsv(request);
  const { limit } = request.query as { limit?: unknown };
  return {
    key: `data|${csv ? 'csv' : 'json'}|${request.url}`,
    accept: csv ? 'text/csv' : 'application/json',
    held: !csv || limit !== undefined,
  };
}
