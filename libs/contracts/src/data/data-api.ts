import { FigureSource } from '../payloads/population';

/**
 * The data API's lists (GET /api/v1/population, /budget, /key-figures): their parameters,
 * rows, CSV columns and HXL hashtags. The aggregator answers them and the gateway documents
 * them, so both read them from here.
 */
export const DATA_LIMIT_DEFAULT = 100;
export const DATA_LIMIT_MAX = 1000;

export const DATASETS = ['population', 'budget', 'key-figures'] as const;
export type Dataset = (typeof DATASETS)[number];

export const POPULATION_DIMENSIONS = ['operation', 'origin', 'year', 'type'] as const;
export type PopulationDimension = (typeof POPULATION_DIMENSIONS)[number];
export const BUDGET_DIMENSIONS = ['operation', 'year', 'pillar'] as const;
export type BudgetDimension = (typeof BUDGET_DIMENSIONS)[number];

/** The parameters each list takes; any other is refused (400) rather than ignored. */
export const DATA_PARAMETERS: Record<Dataset, readonly string[]> = {
  population: ['operation', 'origin', 'year', 'yearFrom', 'yearTo', 'type', 'groupBy', 'limit', 'cursor', 'format', 'hxl'],
  budget: ['operation', 'year', 'yearFrom', 'yearTo', 'pillar', 'groupBy', 'limit', 'cursor', 'format', 'hxl'],
  'key-figures': ['operation', 'year', 'yearFrom', 'yearTo', 'kind', 'limit', 'cursor', 'format', 'hxl'],
};

/** A population row: the sum of the figures of its group; a dimension not grouped by is absent. */
export interface PopulationRow {
  operation?: string;
  /** null: figures reported without an origin. */
  origin?: string | null;
  year?: number;
  type?: string;
  value: number;
  /** Every distinct source of the figures summed, oldest as-of first. */
  sources: FigureSource[];
}

/** A budget row: exact US dollars (sums of integer cents); expenditure null while any summed line has none. */
export interface BudgetRow {
  operation?: string;
  year?: number;
  pillar?: number;
  budgetUsd: number;
  expenditureUsd: number | null;
}

export interface KeyFigureRow {
  operation: string;
  year: number;
  kind: string;
  /** Position in the set, from 1, as the page shows them. */
  position: number;
  value: number;
  unit: string;
  textEn: string;
  textFr: string | null;
}

export interface DataPage<R> {
  rows: R[];
  /** Pass as `cursor` for the next rows; null on the last page. */
  nextCursor: string | null;
}

/** One CSV column: the row field it holds, its header, and its HXL hashtag with attributes. */
export interface DataColumn {
  field: string;
  header: string;
  hxl: string;
}

/**
 * HXL 1.1 hashtags and attributes (hxlstandard.org): operations are mostly countries (ISO
 * alpha-3), so an operation is `#country+code`, as HDX tags a country of asylum; a regional
 * office's code goes in the same column.
 */
export const DATA_COLUMNS: Record<Dataset, readonly DataColumn[]> = {
  population: [
    { field: 'operation', header: 'operation', hxl: '#country+code+asylum' },
    { field: 'origin', header: 'origin', hxl: '#country+code+origin' },
    { field: 'year', header: 'year', hxl: '#date+year' },
    { field: 'type', header: 'type', hxl: '#population+type+code' },
    { field: 'value', header: 'value', hxl: '#affected+num' },
    { field: 'sources', header: 'source', hxl: '#meta+source' },
  ],
  budget: [
    { field: 'operation', header: 'operation', hxl: '#country+code' },
    { field: 'year', header: 'year', hxl: '#date+year' },
    { field: 'pillar', header: 'pillar', hxl: '#sector+pillar+code' },
    { field: 'budgetUsd', header: 'budget_usd', hxl: '#value+budget+usd' },
    { field: 'expenditureUsd', header: 'expenditure_usd', hxl: '#value+expenditure+usd' },
  ],
  'key-figures': [
    { field: 'operation', header: 'operation', hxl: '#country+code' },
    { field: 'year', header: 'year', hxl: '#date+year' },
    { field: 'kind', header: 'kind', hxl: '#indicator+type' },
    { field: 'position', header: 'position', hxl: '#indicator+num+position' },
    { field: 'value', header: 'value', hxl: '#indicator+value+num' },
    { field: 'unit', header: 'unit', hxl: '#indicator+unit' },
    { field: 'textEn', header: 'text_en', hxl: '#indicator+description+i_en' },
    { field: 'textFr', header: 'text_fr', hxl: '#indicator+description+i_fr' },
  ],
};

/** The CSV of GET /api/v1/contributions (format=csv): one row per contribution of its JSON list. */
export const CONTRIBUTION_COLUMNS: readonly DataColumn[] = [
  { field: 'id', header: 'id', hxl: '#activity+id' },
  { field: 'date', header: 'date', hxl: '#date' },
  { field: 'donorName', header: 'donor', hxl: '#org+donor+name' },
  { field: 'donorType', header: 'donor_type', hxl: '#org+donor+type' },
  { field: 'amountUsd', header: 'amount_usd', hxl: '#value+funding+usd' },
  { field: 'operationCode', header: 'operation', hxl: '#country+code' },
  { field: 'status', header: 'status', hxl: '#status' },
];

/** What an operation holds data for: GET /api/v1/reference/availability. */
export interface OperationAvailability {
  operation: string;
  population: { years: number[]; types: string[]; origins: number };
  budget: { years: number[] };
  keyFigures: { years: number[] };
}
