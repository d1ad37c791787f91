import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@focus/contracts';
import { HandleOutcome, OutboxRelay, withWriteLock } from '@focus/messaging';
import { OperationViewDocument } from './operation-state';
import { ViewGenerations } from './view-generations';
import { ViewWriter } from './view-writer';

/** Held while a batch is written and while a rebuild swaps generations: never both at once. */
export const GENERATION_LOCK = 'operation-views/generation';

/** The live views: the consumer writes them, the HTTP controller reads them. */
@Injectable()
export class ProjectionStore {
  constructor(
    private readonly generations: ViewGenerations,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * One bulk write for a whole batch. The generation is looked up under the swap lock, so a
   * batch lands entirely in the collection that is live when it is written.
   */
  applyBatch(events: readonly EventEnvelope[]): Promise<HandleOutcome[]> {
    return withWriteLock(GENERATION_LOCK, async () => {
      const collection = await this.generations.current();
      // Shares the relay's lock on the collection: FerretDB's updates are not atomic.
      const outcomes = await withWriteLock(collection.collectionName, () => new ViewWriter(collection).applyBatch(events));
      // The views written, so the relay reads their announcements by _id (see nudge).
      const written = new Set(events.filter((_, index) => outcomes[index] === 'applied').map((event) => event.subject.operationCode));
      if (written.size > 0) this.relay.nudge({ collection: collection.collectionName, ids: [...written] });
      return outcomes;
    });
  }

  async find(code: string): Promise<OperationViewDocument | null> {
    const collection = await this.generations.current();
    return collection.findOne({ _id: code }, { projection: { outbox: 0 } });
  }

  async list(): Promise<OperationViewDocument[]> {
    const collection = await this.generations.current();
    return collection.find({}, { projection: { outbox: 0 } }).sort({ _id: 1 }).toArray();
  }
}
