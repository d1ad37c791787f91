import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { EventEnvelope } from '@focus/contracts';
import { bulkWriteInChunks, findByIds, HandleOutcome, MAX_UPDATES_PER_COMMAND } from '@focus/messaging';
import { applyEventAt } from './apply-event';
import { Bucket, BUCKETS, emptyState, OperationState, stateOf, viewVersion } from './operation-state';
import { bucketOf, decodeView, encodeBuckets, encodeView, isEncoded, StoredViewDocument } from './stored-view';

const MAX_ATTEMPTS = 5;
/**
 * Views read, changed and written together; a multiple of MAX_UPDATES_PER_COMMAND. What a round
 * holds decoded is most of what the aggregator holds: 30 were as fast as 100 once views were
 * stored as text (tools/bench).
 */
export const VIEWS_PER_ROUND = 3 * MAX_UPDATES_PER_COMMAND;

/** A view's version as a batch left it, and the request that last changed it (for the announcement). */
export interface ViewVersion {
  version: number;
  correlationId?: string;
}

export interface BatchResult {
  outcomes: HandleOutcome[];
  /** Every operation the batch touched, changed or not, at the version now stored. */
  versions: Map<string, ViewVersion>;
}

/**
 * Applies events to the view documents of one collection: every operation a batch touches is
 * read once and written once, a few views at a time (VIEWS_PER_ROUND).
 * Each write is conditional on the version read, so two writers of one view (a rebalance
 * overlap) cannot lose each other's update: the loser reads again and re-applies. Callers
 * serialise writers in one process (withWriteLock). Announcing is the caller's (ViewAnnouncer).
 */
export class ViewWriter {
  constructor(readonly collection: Collection<StoredViewDocument>) {}

  async applyBatch(events: readonly EventEnvelope[]): Promise<BatchResult> {
    const outcomes: HandleOutcome[] = events.map(() => 'skipped');
    const versions = new Map<string, ViewVersion>();
    // A view is hundreds of kB once decoded, and a catching-up batch touches every operation:
    // held all at once they were most of the aggregator's memory. In groups, each is read
    // and written as before (one read per view, writes in commands of MAX_UPDATES_PER_COMMAND),
    // and only a group's views are held at a time.
    const byOperation = [...indexesByOperation(events)];
    for (let start = 0; start < byOperation.length; start += VIEWS_PER_ROUND) {
      await this.applyToViews(events, new Map(byOperation.slice(start, start + VIEWS_PER_ROUND)), outcomes, versions);
    }
    return { outcomes, versions };
  }

  /** Applies the events at `pending` (by operation) to their views, re-reading any a concurrent writer changed. */
  private async applyToViews(events: readonly EventEnvelope[], pending: Map<string, number[]>, outcomes: HandleOutcome[], versions: Map<string, ViewVersion>): Promise<void> {
    for (let attempt = 1; pending.size > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`operation views ${[...pending.keys()].join(', ')}: concurrent writers kept winning`);
      const held = await this.load([...pending.keys()]);
      const writes: AnyBulkWriteOperation<StoredViewDocument>[] = [];
      const intended = new Map<string, number>();
      for (const [code, indexes] of pending) {
        const current = held.get(code);
        const state = current ? stateOf(decodeView(current)) : emptyState();
        const changed = new Set<Bucket>();
        for (const index of indexes) {
          const path = applyEventAt(state, events[index]);
          outcomes[index] = path === undefined ? 'skipped' : 'applied';
          if (path !== undefined) changed.add(bucketOf(path));
        }
        if (changed.size === 0) {
          if (current) versions.set(code, { version: current.version });
          continue;
        }
        const version = viewVersion(state);
        intended.set(code, version);
        versions.set(code, { version, correlationId: events[indexes[indexes.length - 1]].correlationId });
        writes.push(this.writeOf(code, state, changed, version, current));
      }
      if (writes.length === 0) break;
      const landed = await this.write(writes);
      if (landed === writes.length) break;
      // Someone else wrote one of these views meanwhile: re-apply on what they wrote.
      const after = await this.load([...intended.keys()]);
      pending = new Map([...pending].filter(([code]) => intended.has(code) && after.get(code)?.version !== intended.get(code)));
    }
  }

  /** Every view's stored version (a rebuilt collection going live announces them all). */
  async storedVersions(): Promise<Map<string, ViewVersion>> {
    const views = await this.collection.find({}, { projection: { version: 1 } }).toArray();
    return new Map(views.map((view) => [view._id, { version: view.version }]));
  }

  /**
   * A new view is inserted whole; an existing one gets the buckets that changed (plus version
   * and time), and a view stored before buckets were text gets all of them.
   */
  private writeOf(code: string, state: OperationState, changed: ReadonlySet<Bucket>, version: number, current: StoredViewDocument | undefined): AnyBulkWriteOperation<StoredViewDocument> {
    const updatedAt = new Date();
    if (!current) return { insertOne: { document: encodeView(code, state, version, updatedAt) } };
    const set = { version, updatedAt, ...encodeBuckets(state, isEncoded(current) ? changed : BUCKETS) };
    return { updateOne: { filter: { _id: code, version: current.version }, update: { $set: set } } };
  }

  /**
   * How many writes landed; a duplicate key (a view created meanwhile) counts as lost. Updates
   * go in smaller commands than inserts, as the owners' do: on FerretDB each update of a
   * command holds a pooled connection until the command ends (see MAX_UPDATES_PER_COMMAND).
   * One write per view, unordered, so writing the inserts first changes nothing.
   */
  private async write(writes: AnyBulkWriteOperation<StoredViewDocument>[]): Promise<number> {
    try {
      const inserts = writes.filter((write) => 'insertOne' in write);
      const updates = writes.filter((write) => !('insertOne' in write));
      const inserted = await bulkWriteInChunks(this.collection, inserts, { ordered: false });
      const updated = await bulkWriteInChunks(this.collection, updates, { ordered: false }, MAX_UPDATES_PER_COMMAND);
      return inserted.insertedCount + updated.matchedCount;
    } catch (error) {
      if (isDuplicateKeyOnly(error)) return -1;
      throw error;
    }
  }

  private async load(codes: string[]): Promise<Map<string, StoredViewDocument>> {
    // By _id, one indexed read each on FerretDB, where `$in` scans the whole collection.
    const documents = await findByIds(this.collection, codes);
    return new Map(documents.map((d) => [d._id, d as StoredViewDocument]));
  }
}

function indexesByOperation(events: readonly EventEnvelope[]): Map<string, number[]> {
  const byCode = new Map<string, number[]>();
  events.forEach((event, index) => {
    const code = event.subject.operationCode;
    const indexes = byCode.get(code);
    if (indexes) indexes.push(index);
    else byCode.set(code, [index]);
  });
  return byCode;
}

function isDuplicateKeyOnly(error: unknown): boolean {
  const { code, writeErrors } = error as { code?: number; writeErrors?: Array<{ code?: number }> | { code?: number } };
  if (code === 11000) return true;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((e) => e.code === 11000);
}
