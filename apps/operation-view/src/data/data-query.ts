import {
  BUDGET_DIMENSIONS,
  DATA_LIMIT_DEFAULT,
  DATA_LIMIT_MAX,
  DATA_PARAMETERS,
  Dataset,
  isCountryCode,
  isOperationCode,
  KEY_FIGURE_KINDS,
  PILLAR_NUMBERS,
  POPULATION_DIMENSIONS,
  POPULATION_TYPE_CODES,
  YEAR_MAX,
  YEAR_MIN,
} from '@focus/contracts';
import { badRequest, ProblemException } from '@focus/service-kit';

/** A list request, validated: every filter as a set (undefined: no filter), dimensions in canonical order. */
export interface DataQuery {
  dataset: Dataset;
  operations?: ReadonlySet<string>;
  origins?: ReadonlySet<string>;
  types?: ReadonlySet<string>;
  pillars?: ReadonlySet<number>;
  kinds?: ReadonlySet<string>;
  yearFrom: number;
  yearTo: number;
  groupBy: readonly string[];
  /** undefined: every row (a CSV export without a limit). */
  limit: number | undefined;
  /** The key of the last row already answered. */
  after?: readonly Key[];
  format: 'json' | 'csv';
  hxl: boolean;
}

export type Key = string | number;

const DIMENSIONS: Record<Dataset, readonly string[]> = {
  population: POPULATION_DIMENSIONS,
  budget: BUDGET_DIMENSIONS,
  // Key figures are text as well as numbers: nothing sums them, so every row is one figure.
  'key-figures': ['operation', 'year', 'kind', 'position'],
};

function invalid(parameter: string, message: string): ProblemException {
  return badRequest(`${parameter} ${message}.`, [{ field: parameter, message }]);
}

/** A comma list, each item checked; an empty item or list is refused. */
function list<T>(
  query: Record<string, string>,
  parameter: string,
  parse: (item: string) => T | undefined,
  what: string,
): Set<T> | undefined {
  const raw = query[parameter];
  if (raw === undefined) return undefined;
  const items = new Set<T>();
  for (const item of raw.split(',')) {
    const parsed = parse(item.trim());
    if (parsed === undefined) throw invalid(parameter, `has "${item.slice(0, 40)}", which is not ${what}`);
    items.add(parsed);
  }
  return items;
}

function year(query: Record<string, string>, parameter: string): number | undefined {
  const raw = query[parameter];
  if (raw === undefined) return undefined;
  const value = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= YEAR_MIN && value <= YEAR_MAX)) throw invalid(parameter, `must be a year from ${YEAR_MIN} to ${YEAR_MAX}`);
  return value;
}

/**
 * Reads a list request's query string. Anything it does not know, or cannot use, is a 400
 * naming the parameter: UNHCR's population API ignores such parameters, and its users get
 * the whole table thinking they filtered it.
 */
export function parseDataQuery(dataset: Dataset, raw: Record<string, unknown>, accept: string | undefined): DataQuery {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!DATA_PARAMETERS[dataset].includes(name))
      throw invalid(name, `is not a parameter of /${dataset} (it takes ${DATA_PARAMETERS[dataset].join(', ')})`);
    if (typeof value !== 'string') throw invalid(name, 'is given more than once');
    query[name] = value;
  }
  const single = year(query, 'year');
  if (single !== undefined && (query.yearFrom !== undefined || query.yearTo !== undefined))
    throw invalid('year', 'cannot be combined with yearFrom or yearTo');
  const yearFrom = single ?? year(query, 'yearFrom') ?? YEAR_MIN;
  const yearTo = single ?? year(query, 'yearTo') ?? YEAR_MAX;
  if (yearFrom > yearTo) throw invalid('yearFrom', `(${yearFrom}) is after yearTo (${yearTo})`);

  const dimensions = DIMENSIONS[dataset];
  let groupBy = dimensions;
  if (query.groupBy !== undefined) {
    const given = list(
      query,
      'groupBy',
      (item) => (dimensions.includes(item) && dataset !== 'key-figures' ? item : undefined),
      `one of ${dimensions.join(', ')}`,
    );
    groupBy = dimensions.filter((dimension) => given?.has(dimension));
  }

  const format = query.format ?? (accept?.includes('text/csv') ? 'csv' : 'json');
  if (format !== 'json' && format !== 'csv') throw invalid('format', 'must be json or csv');
  if (query.hxl !== undefined && query.hxl !== 'true' && query.hxl !== 'false') throw invalid('hxl', 'must be true or false');
  const hxl = query.hxl === 'true';
  if (hxl && format !== 'csv') throw invalid('hxl', 'applies to CSV only (format=csv or Accept: text/csv)');

  let limit: number | undefined = format === 'csv' ? undefined : DATA_LIMIT_DEFAULT;
  if (query.limit !== undefined) {
    limit = /^\d{1,4}$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!(limit >= 1 && limit <= DATA_LIMIT_MAX)) throw invalid('limit', `must be a whole number from 1 to ${DATA_LIMIT_MAX}`);
  }

  return {
    dataset,
    operations: list(query, 'operation', (item) => (isOperationCode(item) ? item : undefined), 'an operation code'),
    origins: list(query, 'origin', (item) => (isCountryCode(item) ? item : undefined), 'a country code of /reference/countries'),
    types: list(
      query,
      'type',
      (item) => (POPULATION_TYPE_CODES.includes(item as never) ? item : undefined),
      `a population type (${POPULATION_TYPE_CODES.join(', ')})`,
    ),
    pillars: list(
      query,
      'pillar',
      (item) => (PILLAR_NUMBERS.includes(Number(item) as never) && /^\d$/.test(item) ? Number(item) : undefined),
      'a pillar (1 to 4)',
    ),
    kinds: list(
      query,
      'kind',
      (item) => (KEY_FIGURE_KINDS.includes(item as never) ? item : undefined),
      `a kind (${KEY_FIGURE_KINDS.join(', ')})`,
    ),
    yearFrom,
    yearTo,
    groupBy,
    limit,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, dataset, groupBy),
    format,
    hxl,
  };
}

/**
 * A cursor is the key of the last row answered, with what it is a key of: opaque to clients
 * (base64url), and refused when it comes from another list or grouping.
 */
export function encodeCursor(dataset: Dataset, groupBy: readonly string[], key: readonly Key[]): string {
  return Buffer.from(JSON.stringify({ d: dataset, g: groupBy.join(','), k: key })).toString('base64url');
}

function decodeCursor(cursor: string, dataset: Dataset, groupBy: readonly string[]): Key[] {
  try {
    const { d, g, k } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { d?: unknown; g?: unknown; k?: unknown };
    const valid = d === dataset && g === groupBy.join(',') && Array.isArray(k) && k.length === groupBy.length;
    if (valid && k.every((part) => typeof part === 'string' || typeof part === 'number')) return k as Key[];
  } catch {
    // Refused below, like any cursor this list did not give.
  }
  throw invalid('cursor', 'is not a cursor of this list with these groupBy dimensions (pass the nextCursor of its previous page)');
}

/** Orders keys as the rows are listed: part by part, numbers as numbers. */
export function compareKeys(a: readonly Key[], b: readonly Key[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === 'number' && typeof b[i] === 'number') return (a[i] as number) - (b[i] as number);
    return String(a[i]) < String(b[i]) ? -1 : 1;
  }
  return 0;
}
