import type { Model } from 'mongoose';
import type { AnyBulkWriteOperation } from 'mongodb';
import { createEvent, EventDefinition, EventEnvelope } from '@focus/contracts';
import { bulkWriteInChunks, findByIds, MAX_UPDATES_PER_COMMAND, OutboxHint, toOutboxEntry, withDocumentLocks, withOutbox } from '@focus/messaging';
import { ProblemException, PROBLEM_TYPES, notFound, preconditionFailed } from '../http/problem';
import { canonicalJson } from './canonical-json';
import { VersionedDocument } from './versioned-document';

export interface Entity<S> {
  id: string;
  state: S;
  version: number;
  updatedAt: Date;
}

export interface WriteOptions {
  /** From `If-Match`: the version the caller last saw, or `*` for "must exist". */
  ifMatch?: number | '*';
  /** The request id, carried into the event. */
  correlationId?: string;
}

export type WriteStatus = 'created' | 'updated' | 'unchanged' | 'deleted';

export interface WriteResult<S> {
  status: WriteStatus;
  version: number;
  state: S | null;
}

/** Which event a change emits: `next` null is a deletion. */
export type EventChooser<S> = (previous: S | null, next: S | null) => EventDefinition<S> | EventDefinition<null>;

/**
 * Events written beside a change's own event, in the same single-document update, so they are
 * as safe as it is: given the state stored before the change (null if none) and that event.
 * E.g. a contribution re-earmarked away from an operation also tells that operation.
 */
export type CompanionEvents<S> = (previous: S | null, event: EventEnvelope<S>) => EventEnvelope[];

export interface Change<S> {
  id: string;
  /** The Kafka key and subject: the operation the entity belongs to. */
  subjectCode: string;
  state: S;
}

const MAX_ATTEMPTS = 5;
/** Reads never need the pending events. */
const WITHOUT_OUTBOX = '-outbox';

/**
 * The owner's write path, shared by every service. A change, its new version and its event
 * are one single-document update, so the event can't be lost; writes that change nothing
 * emit nothing, so retried PUTs and re-imports are harmless; concurrent writers are detected
 * by the version and either retried or, under If-Match, refused with 412.
 */
export class VersionedRepository<S extends object> {
  constructor(
    private readonly model: Model<VersionedDocument<S>>,
    private readonly chooseEvent: EventChooser<S>,
    /** Called after a write that left events, with where: the relay publishes them now (OutboxRelay.nudge). */
    private readonly onEventsWritten: (hint: OutboxHint) => void = () => undefined,
    private readonly companionEvents: CompanionEvents<S> = () => [],
  ) {}

  async find(id: string): Promise<Entity<S> | undefined> {
    const doc = await this.model.findById(id, WITHOUT_OUTBOX).lean<VersionedDocument<S>>();
    return doc && doc.state ? toEntity(doc) : undefined;
  }

  async list(filter: Record<string, unknown>, limit = 10_000): Promise<Entity<S>[]> {
    const docs = await this.model
      .find({ ...filter, state: { $ne: null } }, WITHOUT_OUTBOX)
      .sort({ _id: 1 })
      .limit(limit)
      .lean<VersionedDocument<S>[]>();
    return docs.map(toEntity);
  }

  async put(change: Change<S>, options: WriteOptions = {}): Promise<WriteResult<S>> {
    return this.locked([change.id], () => this.write(change.id, change.subjectCode, change.state, options));
  }

  async remove(id: string, subjectCode: string, options: WriteOptions = {}): Promise<WriteResult<S>> {
    return this.locked([id], () => this.write(id, subjectCode, null, options));
  }

  /** See withDocumentLocks: on FerretDB, overlapping updates of one document lose one. */
  private locked<T>(ids: string[], work: () => Promise<T>): Promise<T> {
    return withDocumentLocks(this.model.collection.collectionName, ids, work);
  }

  /**
   * Many changes with one read and one bulk write per batch (imports). Unchanged states are
   * skipped. A change that lost a race with another writer is retried one by one.
   */
  async putMany(changes: Change<S>[], options: Pick<WriteOptions, 'correlationId'> = {}): Promise<Record<'created' | 'updated' | 'unchanged', number>> {
    const { counts, written } = await this.locked(
      changes.map((change) => change.id),
      () => this.putManyUnlocked(changes, options),
    );
    this.hint(written);
    return counts;
  }

  private async putManyUnlocked(changes: Change<S>[], options: Pick<WriteOptions, 'correlationId'>): Promise<{ counts: Record<'created' | 'updated' | 'unchanged', number>; written: string[] }> {
    const counts = { created: 0, updated: 0, unchanged: 0 };
    const currents = new Map((await this.findMany(changes.map((c) => c.id))).map((d) => [d._id, d]));
    const operations: AnyBulkWriteOperation<VersionedDocument<S>>[] = [];
    const planned: Change<S>[] = [];
    for (const change of changes) {
      const current = currents.get(change.id);
      if (current?.state && canonicalJson(current.state) === canonicalJson(change.state)) {
        counts.unchanged += 1;
        continue;
      }
      const event = this.eventFor(change.id, change.subjectCode, current, change.state, options.correlationId);
      operations.push(current ? this.updateOperation(current, change.state, event) : this.insertOperation(change.id, change.subjectCode, change.state, event));
      planned.push(change);
      counts[current?.state ? 'updated' : 'created'] += 1;
    }
    const written = planned.map((change) => change.id);
    if (operations.length === 0) return { counts, written };
    try {
      // Updates go in smaller commands than inserts: on FerretDB each update of a command
      // holds a pooled connection until the command ends (see MAX_UPDATES_PER_COMMAND).
      // Unordered, and one operation per id, so running the inserts first changes nothing.
      const all = operations as AnyBulkWriteOperation[];
      const inserts = all.filter((operation) => 'insertOne' in operation);
      const updates = all.filter((operation) => !('insertOne' in operation));
      const inserted = await bulkWriteInChunks(this.model.collection, inserts, { ordered: false });
      const updated = await bulkWriteInChunks(this.model.collection, updates, { ordered: false }, MAX_UPDATES_PER_COMMAND);
      if (updated.matchedCount + inserted.insertedCount < operations.length) await this.retryOneByOne(planned, options);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.retryOneByOne(planned, options);
    }
    return { counts, written };
  }

  private hint(ids: string[]): void {
    if (ids.length > 0) this.onEventsWritten({ collection: this.model.collection.collectionName, ids });
  }

  /**
   * The stored documents for a batch of ids, without their outboxes. Not `find({_id: {$in}})`
   * through mongoose: on FerretDB that decodes the whole collection for every batch, which
   * made imports quadratic; findByIds reads by `_id` there instead (one indexed query per id,
   * a few at a time) and keeps the single `$in` query on MongoDB.
   */
  private async findMany(ids: string[]): Promise<VersionedDocument<S>[]> {
    const db = this.model.db.db;
    if (!db) return this.model.find({ _id: { $in: ids } }, WITHOUT_OUTBOX).lean<VersionedDocument<S>[]>();
    const collection = db.collection<VersionedDocument<S>>(this.model.collection.collectionName);
    return (await findByIds(collection, ids, { projection: { outbox: 0 } })) as VersionedDocument<S>[];
  }

  private async retryOneByOne(changes: Change<S>[], options: Pick<WriteOptions, 'correlationId'>): Promise<void> {
    // put() compares with the stored state, so the changes that did land are no-ops here.
    for (const change of changes) await this.write(change.id, change.subjectCode, change.state, options);
  }

  private async write(id: string, subjectCode: string, state: S | null, options: WriteOptions): Promise<WriteResult<S>> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.model.findById(id, WITHOUT_OUTBOX).lean<VersionedDocument<S>>();
      const exists = Boolean(current?.state);
      checkPrecondition(id, current, options.ifMatch);
      if (state === null && !exists) throw notFound(`${id} does not exist.`);
      if (state !== null && current?.state && canonicalJson(current.state) === canonicalJson(state)) {
        return { status: 'unchanged', version: current.version, state };
      }

      const event = this.eventFor(id, subjectCode, current, state, options.correlationId);
      const landed = current
        ? (await this.model.collection.bulkWrite([this.updateOperation(current, state, event) as AnyBulkWriteOperation])).matchedCount === 1
        : await this.insert(id, subjectCode, state, event);
      if (landed) {
        this.hint([id]);
        return { status: state === null ? 'deleted' : exists ? 'updated' : 'created', version: event.subject.version, state };
      }
      // Another writer got in between. Under If-Match that is exactly what 412 is for.
      if (options.ifMatch !== undefined) throw preconditionFailed(`${id} was changed by another request.`);
    }
    throw new ProblemException({ type: PROBLEM_TYPES.conflict, title: 'Conflict', status: 409, detail: `${id} is being changed concurrently; retry.` });
  }

  private eventFor(id: string, subjectCode: string, current: VersionedDocument<S> | null | undefined, state: S | null, correlationId?: string): EventEnvelope<S> {
    const definition = this.chooseEvent(current?.state ?? null, state) as EventDefinition<S>;
    return createEvent(definition, {
      subject: { operationCode: subjectCode, entityId: id, version: (current?.version ?? 0) + 1 },
      data: state,
      correlationId,
    });
  }

  private updateOperation(current: VersionedDocument<S>, state: S | null, event: EventEnvelope<S>): AnyBulkWriteOperation<VersionedDocument<S>> {
    // Computed from the state this write is conditional on, so they can't describe another one.
    const events = [event, ...this.companionEvents(current.state, event)];
    return {
      updateOne: {
        // Matching the version we read makes the write conditional: a concurrent change wins once.
        filter: { _id: current._id, version: current.version },
        update: withOutbox({ $set: { state, version: event.subject.version, updatedAt: new Date(event.occurredAt) } }, events) as never,
      },
    };
  }

  private insertOperation(id: string, subjectCode: string, state: S | null, event: EventEnvelope<S>): AnyBulkWriteOperation<VersionedDocument<S>> {
    const document: VersionedDocument<S> = {
      _id: id,
      operationCode: subjectCode,
      state,
      version: event.subject.version,
      updatedAt: new Date(event.occurredAt),
      outbox: [event, ...this.companionEvents(null, event)].map(toOutboxEntry),
      outboxPending: true,
    };
    return { insertOne: { document } };
  }

  private async insert(id: string, subjectCode: string, state: S | null, event: EventEnvelope<S>): Promise<boolean> {
    try {
      await this.model.collection.bulkWrite([this.insertOperation(id, subjectCode, state, event) as AnyBulkWriteOperation]);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}

function checkPrecondition<S>(id: string, current: VersionedDocument<S> | null | undefined, ifMatch: WriteOptions['ifMatch']): void {
  if (ifMatch === undefined) return;
  // A tombstone's version was never handed out as an ETag: a deleted entity doesn't match.
  const live = current?.state ? current : undefined;
  if (ifMatch === '*' ? !live : live?.version !== ifMatch) {
    throw preconditionFailed(
      live ? `${id} is at version ${live.version}, not ${String(ifMatch)}.` : `${id} does not exist.`,
      live?.version,
    );
  }
}

function toEntity<S>(doc: VersionedDocument<S>): Entity<S> {
  return { id: doc._id, state: doc.state as S, version: doc.version, updatedAt: doc.updatedAt };
}

function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: Array<{ code?: number }> };
  return e?.code === 11000 || Boolean(e?.writeErrors?.some((w) => w.code === 11000));
}
