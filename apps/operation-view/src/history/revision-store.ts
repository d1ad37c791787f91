import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { EventEnvelope, EVENT_TYPES } from '@focus/contracts';
import { findByIds, MAX_STATEMENTS_PER_COMMAND } from '@focus/messaging';
import { eventOf, isContributionType, RevisionDocument, revisionId, revisionOf } from './revision';

export const REVISIONS_COLLECTION = 'entity_revisions';
/** Contributions looked up at once when a batch holds many (see contributionsLeft). */
const LOOKUP_CONCURRENCY = 8;

/**
 * Every revision the projection applied, insert-only. It is not a generation of the views:
 * a revision never changes once recorded, so a rebuild records into the same collection,
 * where every replayed event is a duplicate unless the revision was missing, and then it is
 * restored. Queries are equalities on single indexed fields (`entityId`, `operationCode`):
 * FerretDB runs those in its backend with an index, and anything else (ranges, sorts, `$in`)
 * in Go after a scan, so ranges and order are applied here.
 */
@Injectable()
export class RevisionStore implements OnModuleInit {
  readonly collection: Collection<RevisionDocument>;

  constructor(@InjectConnection() connection: Connection) {
    if (!connection.db) throw new Error('MongoDB connection has no database yet');
    this.collection = connection.db.collection<RevisionDocument>(REVISIONS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await this.collection.createIndex({ entityId: 1 });
    await this.collection.createIndex({ operationCode: 1 });
  }

  /**
   * Records the revisions a batch carries, then answers the events the projection must apply
   * besides the batch's own: see contributionsLeft. Many revisions per command, unordered, so
   * a duplicate (redelivery, replay, another aggregator) is refused alone and the rest land.
   */
  async record(events: readonly EventEnvelope[]): Promise<EventEnvelope[]> {
    const byId = new Map<string, RevisionDocument>();
    for (const event of events) {
      const revision = revisionOf(event);
      if (revision && !byId.has(revision._id)) byId.set(revision._id, revision);
    }
    const revisions = [...byId.values()];
    for (let start = 0; start < revisions.length; start += MAX_STATEMENTS_PER_COMMAND) {
      try {
        await this.collection.insertMany(revisions.slice(start, start + MAX_STATEMENTS_PER_COMMAND), { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyOnly(error)) throw error;
      }
    }
    return this.contributionsLeft(revisions);
  }

  /**
   * A contribution belongs on every operation it was ever earmarked for, at its newest
   * version: that operation's view then holds its newest state, earmarked elsewhere, and
   * lists it no more. The `moved` event does this for changes made since it existed; this
   * does it for every change, those before it included, and in any order a replay brings
   * them (a move's two operations are on different partitions). Each aggregator reads after
   * it has recorded, so of two that record a contribution's revisions at once, at least one
   * reads both and applies the newest to both operations.
   *
   * Most contributions are only ever recorded: a first version is looked up whole only when
   * its second exists (one read by `_id`, the cheapest there is); a later one always is.
   */
  private async contributionsLeft(revisions: readonly RevisionDocument[]): Promise<EventEnvelope[]> {
    const contributions = revisions.filter((r) => isContributionType(r.type));
    const firsts = contributions.filter((r) => r.version === 1).map((r) => revisionId(r.entityId, 2));
    const revised = new Set((await findByIds(this.collection, firsts, { projection: { entityId: 1 } })).map((r) => r.entityId));
    const ids = [...new Set(contributions.filter((r) => r.version > 1 || revised.has(r.entityId)).map((r) => r.entityId))];
    const followUps: EventEnvelope[] = [];
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const all = await this.ofEntity(ids[next++]);
        const newest = all[0];
        const operations = new Set(all.map((r) => r.operationCode));
        if (!newest || operations.size < 2) continue;
        for (const code of operations) {
          if (code !== newest.operationCode) followUps.push({ ...eventOf(newest, code), type: EVENT_TYPES.contributionsContributionMoved });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, ids.length) }, worker));
    return followUps;
  }

  /** Every revision of an entity, newest first. */
  async ofEntity(entityId: string): Promise<RevisionDocument[]> {
    const found = await this.collection.find({ entityId }).toArray();
    return found.sort((a, b) => b.version - a.version);
  }

  /** Every revision recorded under an operation, in no particular order. */
  ofOperation(operationCode: string): Promise<RevisionDocument[]> {
    return this.collection.find({ operationCode }).toArray();
  }
}

function isDuplicateKeyOnly(error: unknown): boolean {
  const { code, writeErrors } = error as { code?: number; writeErrors?: Array<{ code?: number }> | { code?: number } };
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length > 0) return list.every((e) => e.code === 11000);
  return code === 11000;
}
