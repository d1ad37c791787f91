import { Bucket, BUCKETS, OperationState, OperationViewDocument } from './operation-state';

/**
 * A view as the collection holds it: each bucket of its state as JSON text, beside the
 * version and time. Nothing queries inside a view (it is read and written whole, by _id), and
 * FerretDB 1.x's cost goes by the number of fields, not bytes: as text, a view of a thousand
 * entities reads and writes about as fast as one string of the same size (figures in
 * tools/bench/README.md). `revision` is the view's last revision (ViewWriter).
 */
export type StoredViewDocument = {
  _id: string;
  version: number;
  updatedAt: Date;
  revision?: number;
} & { [B in Bucket]?: string | OperationState[B] };

/** The given buckets of a state as they are stored (a profile it lacks is left out). */
export function encodeBuckets(state: OperationState, buckets: Iterable<Bucket>): Partial<Record<Bucket, string>> {
  const encoded: Partial<Record<Bucket, string>> = {};
  for (const bucket of buckets) if (state[bucket] !== undefined) encoded[bucket] = JSON.stringify(state[bucket]);
  return encoded;
}

/** A whole view as it is stored. */
export function encodeView(code: string, state: OperationState, version: number, updatedAt: Date): StoredViewDocument {
  return { _id: code, version, updatedAt, ...encodeBuckets(state, BUCKETS) };
}

/**
 * The view a stored document holds. Views written before buckets were stored as text hold
 * them as objects: those read as they are (and the next write of such a view stores every
 * bucket as text: see isEncoded).
 */
export function decodeView(document: StoredViewDocument): OperationViewDocument {
  const decoded = (bucket: Bucket) => {
    const held = document[bucket];
    return typeof held === 'string' ? JSON.parse(held) : held;
  };
  const profile = decoded('profile');
  return {
    _id: document._id,
    version: document.version,
    updatedAt: document.updatedAt,
    ...(profile ? { profile } : {}),
    figures: decoded('figures') ?? {},
    totals: decoded('totals') ?? {},
    budget: decoded('budget') ?? {},
    keyFigures: decoded('keyFigures') ?? {},
    sections: decoded('sections') ?? {},
    contributions: decoded('contributions') ?? {},
  };
}

/** Whether every bucket the document holds is stored as text (false for a view from before). */
export function isEncoded(document: StoredViewDocument): boolean {
  return BUCKETS.every((bucket) => document[bucket] === undefined || typeof document[bucket] === 'string');
}

/** The bucket a state path (applyEventAt's `figures.KAZ:2018:REF`, `profile`) lies in. */
export function bucketOf(path: string): Bucket {
  const dot = path.indexOf('.');
  return (dot < 0 ? path : path.slice(0, dot)) as Bucket;
}
