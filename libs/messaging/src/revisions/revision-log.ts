import type { AnyBulkWriteOperation, Collection, Document, Filter } from 'mongodb';
import { MAX_STATEMENTS_PER_COMMAND, MAX_UPDATES_PER_COMMAND } from '../mongo-bulk';
import { findByIds, serverTraits } from '../server-traits';
import { isDuplicateKey, writeErrorsOf } from './duplicate-key';

/**
 * One immutable step of a keyed history, `_id` `${key}@${seq}`. The `_id` index makes the step
 * atomic between processes on FerretDB 1.x as on MongoDB: of two writers inserting the same
 * (key, seq), exactly one succeeds. A conditional update would not do: FerretDB applies an
 * update by reading the document and writing all of it back, so two overlapping ones both "win".
 */
export interface RevisionDocument {
  _id: string;
  key: string;
  seq: number;
}

/** A value as of one revision (`seq` 0: as of before the first one, e.g. a head from before revisions). */
export interface Known<V> {
  seq: number;
  value: V;
}

export interface RevisionLogOptions<R extends RevisionDocument, V> {
  /** The current value per key (`_id` the key): a cache of the newest revision that may lag. */
  heads: Collection<Document>;
  revisions: Collection<R>;
  /** The head field holding the seq of the revision it reflects; a head without it counts as 0. */
  seqField: string;
  /** The value a stored head holds. */
  valueOf(head: Document): V;
  /** The value after a revision, given the one before it (undefined before the first). May reuse `before`. */
  fold(before: V | undefined, revision: R): V;
  /** What a head stores for a value (a `$set`; `_id` and the seq field are the log's). */
  headFields(key: string, value: V): Document;
}

export function revisionId(key: string, seq: number): string {
  return `${key}@${seq}`;
}

/** Where the revisions of a collection of heads are kept. */
export function revisionsOf(collection: string): string {
  return `${collection}_revisions`;
}

/**
 * An append-only log of revisions per key with a converging head, the one write path every
 * writer of a keyed value uses (owners' entities, the aggregator's views), safe between
 * processes without locks or transactions:
 *
 * - A writer reads the head, a lower bound of the newest revision, and appends the revision
 *   after it. The insert succeeding proves the head was the newest (revisions are contiguous:
 *   seq n+1 is only ever written by one who saw n). A taken seq means another writer won:
 *   `latest` reads forward from what was known, and the writer decides again.
 * - `settle` then moves the head forward, never back on MongoDB, where the update's condition
 *   is atomic. On FerretDB an older head write can overwrite a newer one, so there every writer
 *   whose head write landed looks for the next revision and writes that one too: whichever
 *   head write lands last was followed by such a look, so heads converge to the newest
 *   revision. A writer that died before its head write leaves the head behind: the next
 *   writer of that key reads forward past it and settles it, and `repair` (run by the outbox
 *   relay on what it finds unpublished) moves it for readers.
 */
export class RevisionLog<R extends RevisionDocument, V> {
  constructor(private readonly options: RevisionLogOptions<R, V>) {}

  get revisions(): Collection<R> {
    return this.options.revisions;
  }

  /** The heads of these keys (by `_id`, one indexed read each on FerretDB); keys without one are absent. */
  async heads(keys: readonly string[]): Promise<Map<string, Known<V>>> {
    const docs = await findByIds(this.options.heads, [...keys]);
    return new Map(docs.map((doc) => [String(doc._id), this.knownOf(doc)]));
  }

  /** The newest revision's value, read forward from `known` (a head, or nothing); undefined if the key has none. */
  async latest(key: string, known?: Known<V>): Promise<Known<V> | undefined> {
    let current = known;
    for (;;) {
      const next = await this.options.revisions.findOne({ _id: revisionId(key, (current?.seq ?? 0) + 1) } as Filter<R>);
      if (!next) return current;
      current = { seq: next.seq, value: this.options.fold(current?.value, next as R) };
    }
  }

  /**
   * Inserts revisions, each only if its `_id` is free: the one atomic step. Returns the ids that
   * were taken (another writer got that seq first); every other one is stored.
   */
  async append(revisions: readonly R[]): Promise<Set<string>> {
    const taken = new Set<string>();
    for (let start = 0; start < revisions.length; start += MAX_STATEMENTS_PER_COMMAND) {
      const chunk = revisions.slice(start, start + MAX_STATEMENTS_PER_COMMAND);
      try {
        await this.options.revisions.insertMany(chunk as never, { ordered: false });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const errors = writeErrorsOf(error);
        if (errors.length === 0 && chunk.length === 1) taken.add(chunk[0]._id);
        else for (const e of errors) taken.add(chunk[e.index ?? -1]?._id ?? '');
        taken.delete('');
      }
    }
    return taken;
  }

  /**
   * Writes heads for values as of the revisions given (appended by this writer, or found), then
   * follows any newer revision: returns, per key, the value its head was last written with.
   */
  async settle(items: ReadonlyArray<{ key: string } & Known<V>>): Promise<Map<string, Known<V>>> {
    const settled = new Map<string, Known<V>>();
    if (items.length === 0) return settled;
    const { ferretdb } = await serverTraits(this.options.heads);
    let round = [...items];
    while (round.length > 0) {
      const landed = await this.writeHeads(round);
      for (const item of round) settled.set(item.key, { seq: item.seq, value: item.value });
      if (landed.length === 0 || !ferretdb) break;
      const byKey = new Map(landed.map((item) => [item.key, item]));
      const newer = await findByIds(
        this.options.revisions,
        landed.map((item) => revisionId(item.key, item.seq + 1)),
      );
      round = newer.map((revision) => {
        const before = byKey.get(revision.key);
        return { key: revision.key, seq: revision.seq, value: this.options.fold(before?.value, revision as R) };
      });
    }
    return settled;
  }

  /** Moves the heads of these keys to their newest revisions, where they lag (a writer died before settling). */
  async repair(keys: readonly string[]): Promise<void> {
    const unique = [...new Set(keys)];
    const heads = await this.heads(unique);
    const behind: Array<{ key: string } & Known<V>> = [];
    for (const key of unique) {
      const head = heads.get(key);
      const newest = await this.latest(key, head);
      if (newest && newest.seq > (head?.seq ?? 0)) behind.push({ key, ...newest });
    }
    if (behind.length > 0) await this.settle(behind);
  }

  private knownOf(head: Document): Known<V> {
    const seq = head[this.options.seqField];
    return { seq: typeof seq === 'number' ? seq : 0, value: this.options.valueOf(head) };
  }

  /**
   * One conditional upsert per head, never moving one back on MongoDB. A duplicate key means a
   * head was there at or past this seq (or was being created): not landed, and not followed,
   * as the writer of that head follows it.
   */
  private async writeHeads(items: ReadonlyArray<{ key: string } & Known<V>>): Promise<Array<{ key: string } & Known<V>>> {
    const { seqField } = this.options;
    const refused = new Set<number>();
    for (let start = 0; start < items.length; start += MAX_UPDATES_PER_COMMAND) {
      const chunk = items.slice(start, start + MAX_UPDATES_PER_COMMAND);
      const operations = chunk.map(
        ({ key, seq, value }): AnyBulkWriteOperation<Document> => ({
          updateOne: {
            filter: { _id: key, [seqField]: { $not: { $gte: seq } } } as unknown as Filter<Document>,
            update: { $set: { ...this.options.headFields(key, value), [seqField]: seq } },
            upsert: true,
          },
        }),
      );
      try {
        await this.options.heads.bulkWrite(operations, { ordered: false });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const errors = writeErrorsOf(error);
        if (errors.length === 0 && chunk.length === 1) refused.add(start);
        for (const e of errors) refused.add(start + (e.index ?? 0));
      }
    }
    return items.filter((_, index) => !refused.has(index));
  }
}
