import type { Model } from 'mongoose';
import type { Collection, Document } from 'mongodb';
import { createEvent, EventDefinition, EventEnvelope } from '@focus/contracts';
import { findByIds, Known, OutboxRelay, revisionId, RevisionLog, revisionsOf, toOutboxEntry, withDocumentLocks } from '@focus/messaging';
import { ProblemException, PROBLEM_TYPES, notFound, preconditionFailed } from '../http/problem';
import { canonicalJson } from './canonical-json';
import { EntityRevision, VersionedDocument } from './versioned-document';

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
 * Events written beside a change's own event, in the same revision, so they are as safe as it
 * is: given the state stored before the change (null if none) and that event.
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
/** Reads never need the events a head written before revisions may hold. */
const WITHOUT_OUTBOX = '-outbox';

/** What the repository needs of the relay: to be told of new revisions, and to hand back the ones it finds unsettled. */
export type RelayLink = Pick<OutboxRelay, 'nudge' | 'whenFound'>;

/** What a head holds besides its version. */
interface HeadValue<S> {
  operationCode: string | null;
  state: S | null;
  updatedAt: Date;
}

type Counts = Record<'created' | 'updated' | 'unchanged', number>;

/**
 * The owner's write path, shared by every service, on a RevisionLog: each change inserts an
 * immutable revision `${id}@${version}` holding the new state and its events, so a version is
 * handed out once, between processes too (a taken version means another writer won: retried,
 * or 412 under If-Match). The revision is also the outbox entry the relay publishes, so the
 * event can't be lost, and it is kept (history). The entity's document (the head) is what
 * reads and lists use: a cache of the newest revision, settled right after the write. Writes
 * that change nothing emit nothing, so retried PUTs and re-imports are harmless.
 */
export class VersionedRepository<S extends object> {
  private readonly log: RevisionLog<EntityRevision<S>, HeadValue<S>>;
  private readonly revisionsName: string;

  constructor(
    private readonly model: Model<VersionedDocument<S>>,
    private readonly chooseEvent: EventChooser<S>,
    /** Publishes a write's revisions now (else at its next poll), and repairs heads a crashed writer left behind. */
    private readonly relay?: RelayLink,
    private readonly companionEvents: CompanionEvents<S> = () => [],
  ) {
    const db = model.db.db;
    if (!db) throw new Error('MongoDB connection has no database yet');
    const headsName = model.collection.collectionName;
    this.revisionsName = revisionsOf(headsName);
    this.log = new RevisionLog<EntityRevision<S>, HeadValue<S>>({
      heads: db.collection(headsName),
      revisions: db.collection<EntityRevision<S>>(this.revisionsName),
      seqField: 'version',
      valueOf: (head) => ({ operationCode: head['operationCode'] ?? null, state: head['state'] ?? null, updatedAt: head['updatedAt'] }),
      fold: (_, revision) => ({ operationCode: revision.operationCode, state: revision.state, updatedAt: revision.recordedAt }),
      headFields: (_, value) => ({ operationCode: value.operationCode, state: value.state, updatedAt: value.updatedAt }),
    });
    // Found unpublished by the relay's search: written by a process that may have died before settling.
    relay?.whenFound(this.revisionsName, (ids) => this.log.repair(ids.map(keyOfRevision)));
    // Heads written before revisions may still hold events; the relay publishes and clears those.
    relay?.whenFound(headsName, (ids) => this.log.repair(ids.map(String)));
  }

  /** Where this repository's revisions (and so its pending events) are kept. */
  get revisionsCollection(): Collection<Document> {
    return this.log.revisions as unknown as Collection<Document>;
  }

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

  put(change: Change<S>, options: WriteOptions = {}): Promise<WriteResult<S>> {
    return this.inTurn([change.id], () => this.write(change.id, change.subjectCode, change.state, options));
  }

  remove(id: string, subjectCode: string, options: WriteOptions = {}): Promise<WriteResult<S>> {
    return this.inTurn([id], () => this.write(id, subjectCode, null, options));
  }

  /**
   * Writers of one entity in this process take turns. Not for correctness (the revision's
   * insert is that, between processes too) but to save work: a hundred concurrent PUTs of one
   * entity would otherwise race for each version, each loser reading and trying again, and
   * some run out of attempts (409). In turn, only writers in other processes can collide.
   */
  private inTurn<T>(ids: string[], work: () => Promise<T>): Promise<T> {
    return withDocumentLocks(this.revisionsName, ids, work);
  }

  /**
   * Many changes with one read of the heads and one append per batch (imports). A state equal
   * to its head's is unchanged once no newer revision is found; a change whose version was
   * taken meanwhile is written again one by one.
   */
  putMany(changes: Change<S>[], options: Pick<WriteOptions, 'correlationId'> = {}): Promise<Counts> {
    return this.inTurn(
      changes.map((change) => change.id),
      () => this.putManyInTurn(changes, options),
    );
  }

  private async putManyInTurn(changes: Change<S>[], options: Pick<WriteOptions, 'correlationId'>): Promise<Counts> {
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const heads = await this.log.heads(changes.map((change) => change.id));
    const seen = new Set<string>();
    const later: Change<S>[] = [];
    const sameAsHead: Change<S>[] = [];
    const planned: Array<{ change: Change<S>; revision: EntityRevision<S>; known?: Known<HeadValue<S>> }> = [];
    for (const change of changes) {
      // The same id twice in a batch: the second waits for the first.
      if (seen.has(change.id)) {
        later.push(change);
        continue;
      }
      seen.add(change.id);
      const known = heads.get(change.id);
      if (known?.value.state && sameState(known.value.state, change.state)) sameAsHead.push(change);
      else
        planned.push({
          change,
          known,
          revision: this.revisionOf(change.id, change.subjectCode, known, change.state, options.correlationId),
        });
    }
    // Unchanged only if the head was the newest: one look past each.
    const newer = await findByIds(
      this.log.revisions,
      sameAsHead.map((change) => revisionId(change.id, (heads.get(change.id)?.seq ?? 0) + 1)),
    );
    const moved = new Set(newer.map((revision) => revision.key));
    counts.unchanged += sameAsHead.length - moved.size;
    later.push(...sameAsHead.filter((change) => moved.has(change.id)));

    const taken = await this.log.append(planned.map((p) => p.revision));
    const landed = planned.filter((p) => !taken.has(p.revision._id));
    for (const { known } of landed) counts[known?.value.state ? 'updated' : 'created'] += 1;
    later.push(...planned.filter((p) => taken.has(p.revision._id)).map((p) => p.change));
    await this.settle(landed.map((p) => p.revision));
    for (const change of later) counts[countOf((await this.write(change.id, change.subjectCode, change.state, options)).status)] += 1;
    return counts;
  }

  /**
   * Decides on the head (a lower bound of the newest version) and appends the next revision:
   * the append succeeding proves the head was the newest. An answer that does not write (412,
   * 404, unchanged) is only given on the newest version, which costs a look past the head.
   */
  private async write(id: string, subjectCode: string, state: S | null, options: WriteOptions): Promise<WriteResult<S>> {
    const head = (await this.log.heads([id])).get(id);
    let known = head;
    let newest = false;
    for (let lost = 0; lost < MAX_ATTEMPTS; ) {
      let answer: 'write' | 'unchanged' | Error;
      try {
        checkPrecondition(id, known, options.ifMatch);
        if (state === null && !known?.value.state) throw notFound(`${id} does not exist.`);
        answer = state !== null && known?.value.state && sameState(known.value.state, state) ? 'unchanged' : 'write';
      } catch (refusal) {
        answer = refusal as Error;
      }
      if (answer !== 'write') {
        if (!newest) {
          known = await this.log.latest(id, known);
          newest = true;
          continue;
        }
        // A head behind the newest revision (its writer died before settling it) is moved on the way.
        if (known && known.seq > (head?.seq ?? 0)) await this.log.settle([{ key: id, ...known }]);
        if (answer === 'unchanged') return { status: 'unchanged', version: known?.seq ?? 0, state };
        throw answer;
      }
      const revision = this.revisionOf(id, subjectCode, known, state, options.correlationId);
      if ((await this.log.append([revision])).size === 0) {
        await this.settle([revision]);
        const existed = Boolean(known?.value.state);
        return { status: state === null ? 'deleted' : existed ? 'updated' : 'created', version: revision.seq, state };
      }
      // Another writer took this version. Under If-Match that is exactly what 412 is for.
      if (options.ifMatch !== undefined && options.ifMatch !== '*') throw preconditionFailed(`${id} was changed by another request.`);
      lost += 1;
      known = await this.log.latest(id, known);
      newest = true;
    }
    throw new ProblemException({
      type: PROBLEM_TYPES.conflict,
      title: 'Conflict',
      status: 409,
      detail: `${id} is being changed concurrently; retry.`,
    });
  }

  /** Heads to the revisions just appended, and their events to the relay. */
  private async settle(revisions: EntityRevision<S>[]): Promise<void> {
    if (revisions.length === 0) return;
    this.relay?.nudge({ collection: this.revisionsName, ids: revisions.map((r) => r._id), documents: revisions });
    const heads = revisions.map((r) => ({
      key: r.key,
      seq: r.seq,
      value: { operationCode: r.operationCode, state: r.state, updatedAt: r.recordedAt },
    }));
    await this.log.settle(heads);
  }

  private revisionOf(
    id: string,
    subjectCode: string,
    known: Known<HeadValue<S>> | undefined,
    state: S | null,
    correlationId?: string,
  ): EntityRevision<S> {
    const previous = known?.value.state ?? null;
    const definition = this.chooseEvent(previous, state) as EventDefinition<S>;
    const version = (known?.seq ?? 0) + 1;
    const event = createEvent(definition, { subject: { operationCode: subjectCode, entityId: id, version }, data: state, correlationId });
    // Computed from the state this revision follows, so they can't describe another one.
    const events: EventEnvelope[] = [event, ...this.companionEvents(previous, event)];
    return {
      _id: revisionId(id, version),
      key: id,
      seq: version,
      operationCode: subjectCode,
      state,
      recordedAt: new Date(event.occurredAt),
      correlationId: correlationId ?? null,
      outbox: events.map(toOutboxEntry),
      outboxPending: true,
    };
  }
}

function sameState<S>(a: S | null | undefined, b: S | null): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function countOf(status: WriteStatus): 'created' | 'updated' | 'unchanged' {
  return status === 'deleted' ? 'updated' : status;
}

/** `KAZ:2018:REF@3` → `KAZ:2018:REF`. */
function keyOfRevision(id: unknown): string {
  const text = String(id);
  return text.slice(0, text.lastIndexOf('@'));
}

function checkPrecondition<S>(id: string, current: Known<HeadValue<S>> | undefined, ifMatch: WriteOptions['ifMatch']): void {
  if (ifMatch === undefined) return;
  // A tombstone's version was never handed out as an ETag: a deleted entity doesn't match.
  const live = current?.value.state ? current : undefined;
  if (ifMatch === '*' ? !live : live?.seq !== ifMatch) {
    throw preconditionFailed(live ? `${id} is at version ${live.seq}, not ${String(ifMatch)}.` : `${id} does not exist.`, live?.seq);
  }
}

function toEntity<S>(doc: VersionedDocument<S>): Entity<S> {
  return { id: doc._id, state: doc.state as S, version: doc.version, updatedAt: doc.updatedAt };
}
