import type { Collection, Document, Filter, FindOptions } from 'mongodb';

/**
 * What the code needs to know about the MongoDB-wire server behind a collection, to choose
 * between query shapes that cost the same on MongoDB but not on FerretDB 1.x:
 *
 * - FerretDB evaluates `$in` (and every operator but equality) in Go, after decoding every
 *   document of the collection: `{_id: {$in: [500 ids]}}` costs a full scan, which grows with
 *   the collection (an import of 100k documents does 200 of them). A plain `{_id: x}` is run
 *   by the backend itself, with an index, on both of its backends.
 * - Its SQLite backend runs nothing else itself; its PostgreSQL backend also runs
 *   equalities on several top-level fields (`{_id, version}`), which tools/infra's
 *   PostgreSQL indexes (tools/infra/postgres/setup.sql).
 */
export interface ServerTraits {
  ferretdb: boolean;
  /** `{_id: x, other: y}` is filtered by the server's storage, not by decoding documents. */
  compoundEqualityPushdown: boolean;
}

const MONGODB: ServerTraits = { ferretdb: false, compoundEqualityPushdown: true };
/** A negative answer may only mean "no such collection yet": asked again after this long. */
const RECHECK_MS = 30_000;
const known = new Map<string, { traits: Promise<ServerTraits>; until: number }>();

/**
 * Asks with `explain`, which FerretDB answers with `serverInfo.ferretdbVersion` and whether
 * the filter was pushed down; MongoDB has neither field. Cached per namespace.
 */
export function serverTraits(collection: Collection<Document>): Promise<ServerTraits> {
  const key = collection.namespace;
  const cached = known.get(key);
  if (cached && Date.now() < cached.until) return cached.traits;
  const traits = probe(collection);
  known.set(key, { traits, until: Number.POSITIVE_INFINITY });
  traits.then(
    (found) => {
      if (found.ferretdb && !found.compoundEqualityPushdown) known.set(key, { traits, until: Date.now() + RECHECK_MS });
    },
    () => known.delete(key),
  );
  return traits;
}

async function probe(collection: Collection<Document>): Promise<ServerTraits> {
  const plan = (await collection
    .find({ _id: 'focus-server-traits-probe', version: 0 } as unknown as Filter<Document>)
    .limit(1)
    .explain()) as Document;
  const serverInfo = plan['serverInfo'] as Document | undefined;
  if (!serverInfo?.['ferretdbVersion']) return MONGODB;
  return { ferretdb: true, compoundEqualityPushdown: plan['filterPushdown'] === true };
}

/**
 * Documents by `_id`: one `$in` query on MongoDB; on FerretDB one `{_id}` query per id,
 * `concurrency` at a time, each answered from an index instead of a scan of the whole
 * collection (see ServerTraits). Order is not kept; missing ids are simply absent.
 */
export async function findByIds<T extends Document>(
  collection: Collection<T>,
  ids: unknown[],
  options: FindOptions & { concurrency?: number } = {},
): Promise<T[]> {
  const { concurrency = 8, ...findOptions } = options;
  if (ids.length === 0) return [];
  const traits = await serverTraits(collection as unknown as Collection<Document>);
  if (!traits.ferretdb) {
    return (await collection.find({ _id: { $in: ids } } as Filter<T>, findOptions).toArray()) as T[];
  }
  const found: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const doc = await collection.findOne({ _id: id } as Filter<T>, findOptions);
      if (doc) found.push(doc as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return found;
}
