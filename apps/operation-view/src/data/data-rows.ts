import {
  BudgetLineState,
  BudgetRow,
  FigureSource,
  KeyFigureRow,
  KeyFigureSetState,
  PopulationFigureState,
  PopulationRow,
} from '@focus/contracts';
import { Projected } from '../projection/operation-state';
import { DataQuery, Key } from './data-query';

/** The bucket of a view each list reads. */
export type DataBucket = 'figures' | 'budget' | 'keyFigures';

/** A row being summed: its key, and what it adds up so far. */
export interface Group<A> {
  key: Key[];
  acc: A;
}

/**
 * How one list turns the entity states of a view's bucket into rows: which states a query
 * keeps, the key of the row each adds to, and how a row is summed and shown.
 */
export interface DataSet<S, A, R> {
  bucket: DataBucket;
  /** Each state's parts as rows of their own (a key-figure set is one row per figure). */
  parts(state: S): Iterable<S>;
  matches(state: S, query: DataQuery): boolean;
  /** The value of a dimension for a state (what it is grouped and ordered by). */
  dimension(state: S, name: string): Key;
  start(): A;
  add(acc: A, state: S): void;
  row(group: Group<A>, groupBy: readonly string[]): R;
}

const inYears = (year: number, query: DataQuery) => year >= query.yearFrom && year <= query.yearTo;
const allows = <T>(filter: ReadonlySet<T> | undefined, value: T) => filter === undefined || filter.has(value);

/** Only the dimensions grouped by appear in a row, in their canonical order. */
function dimensionsOf(
  key: readonly Key[],
  groupBy: readonly string[],
  shown: (name: string, value: Key) => unknown,
): Record<string, unknown> {
  return Object.fromEntries(groupBy.map((name, i) => [name, shown(name, key[i])]));
}

export const POPULATION: DataSet<PopulationFigureState, { value: number; sources: Map<string, FigureSource> }, PopulationRow> = {
  bucket: 'figures',
  parts: (state) => [state],
  matches: (f, q) =>
    inYears(f.year, q) &&
    allows(q.operations, f.operationCode) &&
    allows(q.types, f.type) &&
    (q.origins === undefined || (f.origin !== undefined && q.origins.has(f.origin))),
  dimension: (f, name) =>
    name === 'operation' ? f.operationCode : name === 'origin' ? (f.origin ?? '') : name === 'year' ? f.year : f.type,
  start: () => ({ value: 0, sources: new Map() }),
  add: (acc, f) => {
    acc.value += f.value;
    acc.sources.set(`${f.source.asOf}\u0000${f.source.name}`, { name: f.source.name, asOf: f.source.asOf });
  },
  row: ({ key, acc }, groupBy) => ({
    ...dimensionsOf(key, groupBy, (name, value) => (name === 'origin' && value === '' ? null : value)),
    value: acc.value,
    sources: [...acc.sources].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, source]) => source),
  }),
};

export const BUDGET: DataSet<BudgetLineState, { budgetCents: number; expenditureCents: number | null }, BudgetRow> = {
  bucket: 'budget',
  parts: (state) => [state],
  matches: (l, q) => inYears(l.year, q) && allows(q.operations, l.operationCode) && allows(q.pillars, l.pillar),
  dimension: (l, name) => (name === 'operation' ? l.operationCode : name === 'year' ? l.year : l.pillar),
  start: () => ({ budgetCents: 0, expenditureCents: 0 }),
  // Cents are integers: sums stay exact. A line with no expenditure yet makes its group's unknown.
  add: (acc, l) => {
    acc.budgetCents += l.budgetCents;
    acc.expenditureCents = acc.expenditureCents === null || l.expenditureCents === null ? null : acc.expenditureCents + l.expenditureCents;
  },
  row: ({ key, acc }, groupBy) => ({
    ...dimensionsOf(key, groupBy, (_, value) => value),
    budgetUsd: acc.budgetCents / 100,
    expenditureUsd: acc.expenditureCents === null ? null : acc.expenditureCents / 100,
  }),
};

type KeyFigurePart = KeyFigureSetState & { position: number };

export const KEY_FIGURES: DataSet<KeyFigurePart, { part?: KeyFigurePart }, KeyFigureRow> = {
  bucket: 'keyFigures',
  parts: (set) => set.items.map((item, i) => ({ ...set, items: [item], position: i + 1 })),
  matches: (s, q) => inYears(s.year, q) && allows(q.operations, s.operationCode) && allows(q.kinds, s.kind),
  dimension: (s, name) => (name === 'operation' ? s.operationCode : name === 'year' ? s.year : name === 'kind' ? s.kind : s.position),
  start: () => ({}),
  // Every figure has a key of its own (its position in its set): a group holds one.
  add: (acc, s) => {
    acc.part = s;
  },
  row: ({ acc }) => keyFigureRow(acc.part as KeyFigurePart),
};

function keyFigureRow(part: KeyFigurePart): KeyFigureRow {
  const [item] = part.items;
  return {
    operation: part.operationCode,
    year: part.year,
    kind: part.kind,
    position: part.position,
    value: item.value,
    unit: item.unit,
    textEn: item.text.en,
    textFr: item.text.fr ?? null,
  };
}

/** The live states of a bucket (tombstones left out). */
export function liveStates<S>(bucket: Record<string, Projected<S>>): S[] {
  const states: S[] = [];
  for (const held of Object.values(bucket)) if (held.s) states.push(held.s);
  return states;
}
