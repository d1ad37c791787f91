import type { AnyBulkWriteOperation, Collection, Db, Document, Filter } from 'mongodb';
import type { Producer } from 'kafkajs';
import { BackoffPolicy, backoffDelay, DEFAULT_BACKOFF, sleep } from '../backoff';
import { describeError } from '../errors';
import { MessagingMetrics } from '../metrics';
import { bulkWriteInChunks, MAX_UPDATES_PER_COMMAND } from '../mongo-bulk';
import { findByIds, serverTraits } from '../server-traits';
import { EntryPublisher } from './entry-publisher';
import { OutboxEntry } from './outbox-entry';

export interface OutboxRelayOptions {
  db: Db;
  /**
   * Collections whose documents carry an outbox; a function when the set changes at run time
   * (the read model swaps in a rebuilt collection), asked again every round.
   */
  collections: string[] | (() => string[]);
  /**
   * Of those, the ones whose documents are immutable revisions (RevisionLog): a published
   * entry stays, as the revision's history, and only the pending flag is cleared.
   */
  retained?: string[];
  /** Connected (or connectable) producer; the relay never owns its lifecycle. */
  producer: Producer;
  /** Prepended to every entry's topic: lets test suites and environments share a broker. */
  topicPrefix?: string;
  metrics?: MessagingMetrics;
  /** How often to look without a nudge: the safety net after a crash or a missed nudge. */
  pollIntervalMs?: number;
  /** Documents per drain round. */
  batchSize?: number;
  /** A publish that takes longer is abandoned and the producer reconnected. */
  sendTimeoutMs?: number;
  backoff?: BackoffPolicy;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface RelayHealth {
  running: boolean;
  /** The last round failed (broker or database down); the relay keeps retrying. */
  lastError?: string;
  lastSuccessAt?: Date;
}

const MAX_IDS_PER_STATEMENT = 500;
/** While writers keep hinting, the scan for documents nobody hinted still runs this often. */
const SCAN_WHILE_HINTED_MS = 30_000;
/**
 * A search waits at least this many times as long as the last one took. On FerretDB 1.x the
 * search for pending documents reads the whole collection (its index on outboxPending is not
 * used for that query), and revisions are kept: after the real UNHCR import one search of
 * population's revisions took PostgreSQL 3 s of CPU, and the idle relay ran it every poll.
 * Spaced so, an idle relay's searching costs at most a twentieth of one core, however long the
 * history; where it is cheap (a small collection, MongoDB's index) it still runs at every poll,
 * and a search that found something is followed by the next at once.
 */
const SCAN_SPACING_FACTOR = 20;
/**
 * A search takes up to this many rounds' worth of documents (published a round at a time):
 * where each search reads the whole collection, a backlog nobody hinted (hints past MAX_HINTS,
 * during an import) would otherwise cost one whole read per round of 200.
 */
const ROUNDS_PER_SEARCH = 10;

/** Hints kept per collection; past that (a long broker outage under load) the search finds the rest. */
const MAX_HINTS = 100_000;
/** Hints held with their documents; past that (a broker away during an import) only ids, read back when published. */
const MAX_HINTED_DOCUMENTS = 5_000;
/** Published documents remembered per collection (see recentlyPublished): a few rounds' worth. */
const MAX_RECENT = 20_000;

/** Documents of one collection that a write just left events in. */
export interface OutboxHint {
  collection: string;
  ids: unknown[];
  /**
   * The documents themselves, as written, when they can't have changed since (revisions):
   * published without reading them back.
   */
  documents?: ReadonlyArray<{ _id: unknown; outbox?: OutboxEntry[] }>;
}

/** Told the ids of documents the relay's search found pending, once published: see whenFound. */
export type FoundHandler = (ids: unknown[]) => Promise<void>;

// A type alias, not an interface: the driver's update-operator types need exact fields.
type PendingDocument = { _id: unknown; outbox?: OutboxEntry[]; outboxPending: boolean };

/**
 * Publishes what owners left in their outboxes, then removes it. Publish-then-remove means a
 * crash in between publishes an event twice (consumers dedupe by version), never zero times.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private readonly stopSignal = new AbortController();
  private lastError?: string;
  private lastSuccessAt?: Date;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;

  private readonly publisher: EntryPublisher;
  /** Per collection, the documents with unpublished events the last scan found. */
  private readonly lastFound = new Map<string, number>();
  /** Per collection, documents writers said they left events in, not yet looked at (with the document, if given). */
  private readonly hinted = new Map<string, Map<unknown, PendingDocument | undefined>>();
  private readonly foundHandlers = new Map<string, FoundHandler[]>();
  /**
   * Per collection, documents this relay published lately: a hinted document given in full is
   * not read back, so without this one the search had published meanwhile would go out again.
   */
  private readonly recentlyPublished = new Map<string, Set<unknown>>();
  private readonly lastScanAt = new Map<string, number>();
  /** How long each collection's last search took. */
  private readonly lastScanMs = new Map<string, number>();

  constructor(private readonly options: OutboxRelayOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 200;
    this.publisher = new EntryPublisher(options);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * A write just added events: publish now rather than at the next poll. With a hint, the
   * relay reads those documents by `_id` instead of searching for pending ones: on FerretDB
   * that search reads every pending document, whatever its limit, so during an import each
   * round cost as much as the whole backlog. The search still runs when no hints are queued
   * (and every 30 s regardless), for what other processes or a crash left behind.
   */
  nudge(hint?: OutboxHint): void {
    if (hint && hint.ids.length > 0) {
      const queued = this.hinted.get(hint.collection) ?? new Map<unknown, PendingDocument | undefined>();
      const given = new Map((hint.documents ?? []).map((doc) => [doc._id, { ...doc, outboxPending: true }]));
      for (const id of hint.ids) {
        if (queued.size < MAX_HINTS) queued.set(id, queued.size < MAX_HINTED_DOCUMENTS ? given.get(id) : undefined);
      }
      this.hinted.set(hint.collection, queued);
    }
    this.wake?.();
  }

  /**
   * Calls `handler` with what the search (not a hint) found pending in `collection`, once
   * published: documents whose writer may have died before finishing its write (a
   * RevisionLog's head left behind), which the handler completes.
   */
  whenFound(collection: string, handler: FoundHandler): void {
    this.foundHandlers.set(collection, [...(this.foundHandlers.get(collection) ?? []), handler]);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopSignal.abort();
    this.wake?.();
    await this.loop;
  }

  health(): RelayHealth {
    return { running: this.running, lastError: this.lastError, lastSuccessAt: this.lastSuccessAt };
  }

  /**
   * What the relay knows of each collection's backlog without asking the database: the
   * documents hinted and not yet published, plus those its last search found (up to a
   * round's batch size); 0 means nothing was pending at the last look. Readiness reports
   * this rather than an exact count: on FerretDB a count reads every pending document, and during an import the
   * readiness probes' counts piled up into dozens of concurrent scans, which took FerretDB's
   * memory to many GB (tools/bench/README.md).
   */
  observedBacklog(): Record<string, number> {
    return Object.fromEntries(
      this.collectionNames().flatMap((name) => {
        const hinted = this.hinted.get(name)?.size ?? 0;
        return this.lastFound.has(name) || hinted > 0 ? [[name, (this.lastFound.get(name) ?? 0) + hinted]] : [];
      }),
    );
  }

  /** Publishes everything pending now; returns how many events went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (const name of this.collectionNames()) {
      const collection = this.collection(name);
      total += await this.drainHinted(collection);
      // While hints are left, they are the cheaper way; a search that last found something may find more.
      const spacing = this.hintsLeft(name)
        ? SCAN_WHILE_HINTED_MS
        : (this.lastFound.get(name) ?? 0) > 0
          ? 0
          : SCAN_SPACING_FACTOR * (this.lastScanMs.get(name) ?? 0);
      if (Date.now() - (this.lastScanAt.get(name) ?? 0) >= spacing) total += await this.drainByScan(collection);
    }
    return total;
  }

  /** Rounds over the hinted documents, as given or read by `_id`, until no hint is left. */
  private async drainHinted(collection: Collection<PendingDocument>): Promise<number> {
    let total = 0;
    const queued = this.hinted.get(collection.collectionName);
    while (queued && queued.size > 0) {
      const ids = firstOf(queued.keys(), this.batchSize);
      const recent = this.recentlyPublished.get(collection.collectionName);
      const given = ids.map((id) => queued.get(id)).filter((doc): doc is PendingDocument => doc !== undefined && !recent?.has(doc._id));
      const unread = ids.filter((id) => queued.get(id) === undefined);
      const read = (await findByIds(collection, unread, { projection: { outbox: 1, outboxPending: 1 } })).filter(
        (doc) => doc.outboxPending,
      );
      total += (await this.publishAndClear(collection, [...given, ...read])).published;
      // Only once published: a failed round keeps its hints for the retry.
      for (const id of ids) queued.delete(id);
    }
    return total;
  }

  private hintsLeft(collection: string): boolean {
    return (this.hinted.get(collection)?.size ?? 0) > 0;
  }

  /** Searches for whatever is pending, published a round at a time, until a search finds nothing (or once, with hints left). */
  private async drainByScan(collection: Collection<PendingDocument>): Promise<number> {
    const name = collection.collectionName;
    let total = 0;
    let previous: string | undefined;
    for (;;) {
      const searchedAt = Date.now();
      this.lastScanAt.set(name, searchedAt);
      // Outboxes only: a round may find hundreds of documents, and a read model's run to
      // hundreds of kB each.
      const found = await collection
        .find({ outboxPending: true }, { projection: { outbox: 1 } })
        .limit(this.batchSize * ROUNDS_PER_SEARCH)
        .toArray();
      this.lastScanMs.set(name, Date.now() - searchedAt);
      this.lastFound.set(name, found.length);
      this.options.metrics?.outboxBacklog.set({ collection: name }, found.length);
      let published = 0;
      let firstId: string | undefined;
      for (let start = 0; start < found.length; start += this.batchSize) {
        const documents = found.slice(start, start + this.batchSize);
        const round = await this.publishAndClear(collection, documents);
        published += round.published;
        firstId ??= round.firstId;
        for (const handler of this.foundHandlers.get(name) ?? []) await handler(documents.map((doc) => doc._id));
      }
      total += published;
      if (found.length === 0) for (const handler of this.foundHandlers.get(name) ?? []) await handler([]);
      // Hints are read by _id, a search reads the collection: with hints left, one search is enough.
      if (published === 0 || this.hintsLeft(name)) break;
      // The same entries coming back unchanged means they were published but could not be
      // removed: stop rather than publish them in a loop, and say so.
      const round = `${firstId}/${published}`;
      if (round === previous) throw new Error(`outbox of ${name}: published entries were not removed (first ${firstId})`);
      previous = round;
    }
    return total;
  }

  private collectionNames(): string[] {
    const { collections } = this.options;
    return typeof collections === 'function' ? collections() : collections;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let published = 0;
      try {
        published = await this.drain();
        failures = 0;
        this.lastError = undefined;
        this.lastSuccessAt = new Date();
      } catch (error) {
        failures += 1;
        this.lastError = describeError(error);
        this.options.log?.('warn', `outbox relay: round failed (attempt ${failures}), retrying: ${this.lastError}`);
        await sleep(backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF), this.stopSignal.signal);
        continue;
      }
      if (published === 0 && this.running) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.wake = undefined;
    });
  }

  private async publishAndClear(
    collection: Collection<PendingDocument>,
    documents: PendingDocument[],
  ): Promise<{ published: number; firstId?: string }> {
    if (documents.length === 0) return { published: 0 };
    const entries = documents.flatMap((doc) => doc.outbox ?? []);
    if (entries.length > 0) {
      // uuid v7 ids sort by creation time, so one key's events leave in the order written.
      entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      await this.publisher.publish(entries);
    }
    if (this.options.retained?.includes(collection.collectionName)) {
      await this.markPublished(collection, documents);
      this.remember(collection.collectionName, documents);
    } else await this.clearPublished(collection, documents);
    return { published: entries.length, firstId: entries[0]?.id };
  }

  private remember(name: string, documents: PendingDocument[]): void {
    const recent = this.recentlyPublished.get(name) ?? new Set<unknown>();
    for (const doc of documents) recent.add(doc._id);
    for (const id of recent) {
      if (recent.size <= MAX_RECENT) break;
      recent.delete(id);
    }
    this.recentlyPublished.set(name, recent);
  }

  /**
   * Clears the pending flag of revisions just published. Nothing else writes a revision once
   * it is inserted, so the flag alone says what is left to publish, and two relays marking
   * one revision write the same thing.
   */
  private async markPublished(collection: Collection<PendingDocument>, documents: PendingDocument[]): Promise<void> {
    const traits = await serverTraits(collection as unknown as Collection<Document>);
    if (traits.ferretdb) {
      // One `{_id}` update each, an index lookup, where `$in` scans the collection (ServerTraits).
      const operations = documents.map((doc) => ({ updateOne: { filter: { _id: doc._id }, update: { $set: { outboxPending: false } } } }));
      await bulkWriteInChunks(
        collection,
        operations as AnyBulkWriteOperation<PendingDocument>[],
        { ordered: false },
        MAX_UPDATES_PER_COMMAND,
      );
      return;
    }
    for (let start = 0; start < documents.length; start += MAX_IDS_PER_STATEMENT) {
      const ids = documents.slice(start, start + MAX_IDS_PER_STATEMENT).map((doc) => doc._id);
      await collection.updateMany({ _id: { $in: ids } } as unknown as Filter<PendingDocument>, { $set: { outboxPending: false } });
    }
  }

  /**
   * Empties the outboxes just published, but only those that still hold exactly what was
   * published: writers only append, so an outbox of the same length whose first entry is
   * the same has not changed. One that a write appended to meanwhile is left whole and
   * published again next round: duplicates, which consumers skip, never a loss.
   * Event ids are unique across documents, so "_id in X and first id in Y" pairs them up
   * without a statement per document (FerretDB's updates are slow one by one).
   */
  private async clearPublished(collection: Collection<PendingDocument>, documents: PendingDocument[]): Promise<void> {
    // On FerretDB, `_id: {$in}` is evaluated by decoding every document of the collection:
    // a round would cost a scan of the whole collection. Where the server runs `{_id, …}`
    // itself (FerretDB on PostgreSQL, MongoDB needs no help), one conditional update per
    // document is an index lookup each instead.
    const traits = await serverTraits(collection as unknown as Collection<Document>);
    if (traits.ferretdb && traits.compoundEqualityPushdown) return this.clearOneByOne(collection, documents);
    const bySize = new Map<number, PendingDocument[]>();
    for (const doc of documents) {
      const size = doc.outbox?.length ?? 0;
      bySize.set(size, [...(bySize.get(size) ?? []), doc]);
    }
    for (const [size, group] of bySize) {
      for (let start = 0; start < group.length; start += MAX_IDS_PER_STATEMENT) {
        const chunk = group.slice(start, start + MAX_IDS_PER_STATEMENT);
        const filter: Record<string, unknown> = { _id: { $in: chunk.map((d) => d._id) }, outbox: { $size: size } };
        if (size > 0) filter['outbox.0.id'] = { $in: chunk.map((d) => d.outbox?.[0]?.id) };
        const cleared = await collection.updateMany(filter as Filter<PendingDocument>, { $set: { outbox: [], outboxPending: false } });
        if (cleared.modifiedCount < chunk.length) await this.pullPublished(collection, chunk);
      }
    }
  }

  /** clearPublished with the same condition per document, in bulk writes of a few dozen. */
  private async clearOneByOne(collection: Collection<PendingDocument>, documents: PendingDocument[]): Promise<void> {
    const operations = documents.map((doc) => {
      const size = doc.outbox?.length ?? 0;
      const filter: Record<string, unknown> = { _id: doc._id, outbox: { $size: size } };
      if (size > 0) filter['outbox.0.id'] = doc.outbox?.[0]?.id;
      return { updateOne: { filter, update: { $set: { outbox: [], outboxPending: false } } } };
    });
    const cleared = await bulkWriteInChunks(
      collection,
      operations as AnyBulkWriteOperation<PendingDocument>[],
      { ordered: false },
      MAX_UPDATES_PER_COMMAND,
    );
    if (cleared.modifiedCount < documents.length) await this.pullPublished(collection, documents);
  }

  /**
   * The slow path, for outboxes a write appended to while they were being published: remove
   * exactly the published entries (by equality: FerretDB ignores a $pull by condition) and
   * keep the new ones for the next round.
   */
  private async pullPublished(collection: Collection<PendingDocument>, documents: PendingDocument[]): Promise<void> {
    await bulkWriteInChunks(
      collection,
      documents.flatMap((doc) => [
        ...(doc.outbox ?? []).map((entry) => ({ updateOne: { filter: { _id: doc._id }, update: { $pull: { outbox: entry } } } })),
        { updateOne: { filter: { _id: doc._id, outbox: { $size: 0 } }, update: { $set: { outboxPending: false } } } },
      ]) as AnyBulkWriteOperation<PendingDocument>[],
      { ordered: true },
      MAX_UPDATES_PER_COMMAND,
    );
  }

  private collection(name: string): Collection<PendingDocument> {
    return this.options.db.collection<PendingDocument>(name);
  }
}

/** The first `n` of a set, in insertion order, without copying the rest (a set of hints can be large). */
function firstOf<T>(items: Iterable<T>, n: number): T[] {
  const first: T[] = [];
  for (const item of items) {
    if (first.length === n) break;
    first.push(item);
  }
  return first;
}
