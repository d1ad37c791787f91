import type { Collection } from 'mongodb';
import { Dataset, UNEARMARKED_OPERATION_CODE } from '@focus/contracts';
import { Projected } from '../projection/operation-state';
import { StoredViewDocument } from '../projection/stored-view';
import { compareKeys, DataQuery } from './data-query';
import { BUDGET, DataSet, Group, KEY_FIGURES, liveStates, POPULATION } from './data-rows';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const DATA_SETS: Record<Dataset, DataSet<any, any, any>> = { population: POPULATION, budget: BUDGET, 'key-figures': KEY_FIGURES };

/** Views fetched per round trip while scanning: one view's bucket is up to a few MB of text. */
const SCAN_BATCH = 4;

/**
 * The rows of a list, in key order, after `query.after`, read from the views themselves: the
 * projection already holds every figure, budget line and key figure, so the data API costs no
 * collection of its own to keep in step. Grouped by operation (the default), each view's rows
 * are complete once that view is read, so views are read one at a time, in code order, and
 * rows leave as they are made: memory holds one view, whatever the table's size. Summed over
 * operations, every group must be seen before the first is complete, so the groups are held
 * (at most origins × years × types, far fewer than the figures).
 */
export async function* dataRows(views: Collection<StoredViewDocument>, query: DataQuery): AsyncGenerator<unknown> {
  const set = DATA_SETS[query.dataset];
  if (query.groupBy[0] === 'operation') {
    for await (const { code, bucket } of scan(views, set.bucket, query)) {
      yield* ordered(set, grouped(set, query, [[code, bucket]]), query);
    }
    return;
  }
  const groups = new Map<string, Group<unknown>>();
  for await (const { code, bucket } of scan(views, set.bucket, query)) grouped(set, query, [[code, bucket]], groups);
  yield* ordered(set, groups, query);
}

function grouped<S, A>(
  set: DataSet<S, A, unknown>,
  query: DataQuery,
  views: Iterable<[string, Record<string, Projected<S>>]>,
  groups = new Map<string, Group<A>>(),
): Map<string, Group<A>> {
  for (const [, bucket] of views) {
    for (const entity of liveStates(bucket)) {
      for (const part of set.parts(entity)) {
        if (!set.matches(part, query)) continue;
        const key = query.groupBy.map((name) => set.dimension(part, name));
        const id = JSON.stringify(key);
        let group = groups.get(id);
        if (!group) groups.set(id, (group = { key, acc: set.start() }));
        set.add(group.acc, part);
      }
    }
  }
  return groups;
}

function* ordered<A>(set: DataSet<unknown, A, unknown>, groups: Map<string, Group<A>>, query: DataQuery): Generator<unknown> {
  const sorted = [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
  groups.clear();
  for (const group of sorted) if (query.after === undefined || compareKeys(group.key, query.after) > 0) yield set.row(group, query.groupBy);
}

/**
 * The views a query needs, one bucket each, in code order: the listed operations by _id (on
 * FerretDB `$in` scans the collection), or all of them from the cursor's operation on.
 */
async function* scan<S>(
  views: Collection<StoredViewDocument>,
  bucket: string,
  query: DataQuery,
): AsyncGenerator<{ code: string; bucket: Record<string, Projected<S>> }> {
  const from = query.groupBy[0] === 'operation' && query.after ? String(query.after[0]) : undefined;
  const projection = { [bucket]: 1 };
  if (query.operations) {
    for (const code of [...query.operations].sort()) {
      if (from !== undefined && code < from) continue;
      const view = await views.findOne({ _id: code }, { projection });
      if (view) yield { code, bucket: decoded<S>(view, bucket) };
    }
    return;
  }
  const filter = from === undefined ? {} : { _id: { $gte: from } };
  const cursor = views.find(filter, { projection }).sort({ _id: 1 }).batchSize(SCAN_BATCH);
  try {
    for await (const view of cursor) {
      if (view._id === UNEARMARKED_OPERATION_CODE) continue;
      yield { code: view._id, bucket: decoded<S>(view, bucket) };
    }
  } finally {
    await cursor.close();
  }
}

function decoded<S>(view: StoredViewDocument, bucket: string): Record<string, Projected<S>> {
  const held = (view as Record<string, unknown>)[bucket];
  if (held === undefined || held === null) return {};
  // Stored as JSON text (stored-view.ts); views from before hold the object itself.
  return (typeof held === 'string' ? JSON.parse(held) : held) as Record<string, Projected<S>>;
}

/** Every view's version summed: it grows with every change to any view, and a rebuild reproduces it. */
export async function dataVersion(views: Collection<StoredViewDocument>): Promise<number> {
  let sum = 0;
  for await (const view of views.find({}, { projection: { version: 1 } })) sum += view.version;
  return sum;
}

/** The listed operations that have no view: unknown codes, refused by name. */
export async function unknownOperations(views: Collection<StoredViewDocument>, codes: Iterable<string>): Promise<string[]> {
  const unknown: string[] = [];
  for (const code of codes)
    if (code === UNEARMARKED_OPERATION_CODE || !(await views.findOne({ _id: code }, { projection: { _id: 1 } }))) unknown.push(code);
  return unknown;
}
