import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { v7 as uuidv7 } from 'uuid';
import { ContributionBodyDto, ContributionState, entityIds, EVENTS, UNEARMARKED_OPERATION_CODE, usdToCents } from '@focus/contracts';
import { isDuplicateKey, OutboxRelay } from '@focus/messaging';
import {
  canonicalJson,
  Change,
  Entity,
  notFound,
  ProblemException,
  PROBLEM_TYPES,
  validationProblem,
  VersionedRepository,
  WriteOptions,
  WriteResult,
} from '@focus/service-kit';
import { CONTRIBUTIONS, ContributionDocument, IDEMPOTENCY_KEYS, IdempotencyKeyDocument } from './contribution.models';
import { earmarkOf, movedAwayEvents } from './earmark-moves';
import { decodeCursor, encodeCursor } from './list-cursor';

export interface ListFilter {
  operation?: string;
  donor?: string;
  since?: string;
  until?: string;
  limit: number;
  cursor?: string;
}

export interface ContributionPage {
  items: Entity<ContributionState>[];
  nextCursor: string | null;
}

/** What a POST produced: `replayed` when an Idempotency-Key retry found the first result. */
export type RecordResult =
  | { replayed: false; result: WriteResult<ContributionState> }
  | { replayed: true; entity: Entity<ContributionState> };

/** Reads never need the pending events. */
const WITHOUT_OUTBOX = '-outbox';

/**
 * The contributions domain. A contribution is identified by a server-made UUID v7; its Kafka
 * key is the operation it is earmarked for, or UNEARMARKED, and a re-earmark also tells the
 * operation it left (see movedAwayEvents). It is never deleted: a cancellation is a change of
 * status, and its event carries the full final state.
 */
@Injectable()
export class ContributionsService {
  private readonly contributions: VersionedRepository<ContributionState>;

  constructor(
    @InjectModel(CONTRIBUTIONS) private readonly model: Model<ContributionDocument>,
    @InjectModel(IDEMPOTENCY_KEYS) private readonly keys: Model<IdempotencyKeyDocument>,
    relay: OutboxRelay,
  ) {
    this.contributions = new VersionedRepository<ContributionState>(model, chooseEvent, relay, movedAwayEvents);
  }

  async get(id: string): Promise<Entity<ContributionState>> {
    const entity = await this.contributions.find(entityIds.contribution(id));
    if (!entity) throw notFound(`Contribution ${id} does not exist.`);
    return entity;
  }

  /**
   * Records a new contribution. With an idempotency key, the key is stored first, with the id
   * the contribution will get and a hash of the request's content: a retry (even one racing
   * the first request, or following a crash between the two writes) finds the key and
   * creates or returns that same contribution, so it is recorded, and published, once.
   */
  async record(body: ContributionBodyDto, idempotencyKey: string | undefined, options: WriteOptions): Promise<RecordResult> {
    if (idempotencyKey === undefined) {
      return { replayed: false, result: await this.contributions.put(changeOf(uuidv7(), body), options) };
    }
    const requestHash = createHash('sha256')
      .update(canonicalJson(contentOf(body)))
      .digest('hex');
    const key = await this.claimKey({ _id: idempotencyKey, contributionId: uuidv7(), requestHash, createdAt: new Date() });
    if (key.requestHash !== requestHash) {
      throw validationProblem(
        [{ field: 'Idempotency-Key', message: 'was already used for a different request' }],
        'This Idempotency-Key was used with a different body; use a new key for a new contribution.',
      );
    }
    const existing = await this.contributions.find(entityIds.contribution(key.contributionId));
    if (existing) return { replayed: true, entity: existing };
    const result = await this.contributions.put(changeOf(key.contributionId, body), options);
    // 'unchanged': a concurrent retry created it between our read and our write.
    if (result.status !== 'created') return { replayed: true, entity: await this.get(key.contributionId) };
    return { replayed: false, result };
  }

  /** Full replacement of an existing contribution; status "cancelled" cancels it. */
  async replace(id: string, body: ContributionBodyDto, options: WriteOptions): Promise<WriteResult<ContributionState>> {
    await this.get(id);
    return this.contributions.put(changeOf(id, body), options);
  }

  /** Newest first (date desc, then id desc), a stable order for cursor paging. */
  async list(filter: ListFilter): Promise<ContributionPage> {
    const conditions: FilterQuery<ContributionDocument>[] = [{ state: { $ne: null } }];
    if (filter.operation === UNEARMARKED_OPERATION_CODE) conditions.push({ 'state.operationCode': { $exists: false } });
    else if (filter.operation !== undefined) conditions.push({ 'state.operationCode': filter.operation });
    if (filter.donor !== undefined) conditions.push({ 'state.donor.name': filter.donor });
    if (filter.since !== undefined) conditions.push({ 'state.date': { $gte: filter.since } });
    if (filter.until !== undefined) conditions.push({ 'state.date': { $lte: filter.until } });
    if (filter.cursor !== undefined) {
      const after = decodeCursor(filter.cursor);
      conditions.push({ $or: [{ 'state.date': { $lt: after.date } }, { 'state.date': after.date, _id: { $lt: after.id } }] });
    }
    const docs = await this.model
      .find({ $and: conditions }, WITHOUT_OUTBOX)
      .sort({ 'state.date': -1, _id: -1 })
      .limit(filter.limit + 1)
      .lean<ContributionDocument[]>();
    const items = docs.slice(0, filter.limit).map(
      (doc): Entity<ContributionState> => ({
        id: doc._id,
        state: doc.state as ContributionState,
        version: doc.version,
        updatedAt: doc.updatedAt,
      }),
    );
    const last = items.at(-1);
    return { items, nextCursor: docs.length > filter.limit && last ? encodeCursor({ date: last.state.date, id: last.id }) : null };
  }

  /** Inserts the key, or returns the one a previous (or concurrent) request inserted. */
  private async claimKey(candidate: IdempotencyKeyDocument): Promise<IdempotencyKeyDocument> {
    try {
      await this.keys.collection.insertOne(candidate as never);
      return candidate;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = await this.keys.findById(candidate._id).lean<IdempotencyKeyDocument>();
    if (!existing) {
      throw new ProblemException({
        type: PROBLEM_TYPES.conflict,
        title: 'Conflict',
        status: 409,
        detail: 'This Idempotency-Key is being used concurrently; retry.',
      });
    }
    return existing;
  }
}

/** recorded for a new contribution; cancelled when it becomes cancelled; updated otherwise. */
function chooseEvent(previous: ContributionState | null, next: ContributionState | null) {
  if (previous === null) return EVENTS.contributionsContributionRecorded;
  if (next?.status === 'cancelled' && previous.status !== 'cancelled') return EVENTS.contributionsContributionCancelled;
  return EVENTS.contributionsContributionUpdated;
}

/** The state minus its id: what a request asks for, and what an idempotency key is bound to. */
function contentOf(body: ContributionBodyDto): Omit<ContributionState, 'id'> {
  return {
    donor: { name: body.donor.name, type: body.donor.type },
    date: body.date,
    ...(body.amountUsd === undefined ? {} : { amountCents: usdToCents(body.amountUsd) }),
    ...(body.operationCode === undefined ? {} : { operationCode: body.operationCode }),
    status: body.status,
  };
}

function changeOf(id: string, body: ContributionBodyDto): Change<ContributionState> {
  const state: ContributionState = { id, ...contentOf(body) };
  return { id: entityIds.contribution(id), subjectCode: earmarkOf(state), state };
}
