import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@focus/contracts';
import { HandleOutcome, withWriteLock } from '@focus/messaging';
import { RevisionStore } from '../history/revision-store';
import { OperationViewDocument } from './operation-state';
import { decodeView } from './stored-view';
import { ViewAnnouncer } from './view-announcer';
import { ViewGenerations } from './view-generations';

/**
 * Held while a batch is written and while a rebuild swaps generations, so that in this process
 * a batch lands in one generation, whole. Other instances are covered by the rebuild's tail.
 */
export const GENERATION_LOCK = 'operation-views/generation';

/** The live views: the consumer writes them, the HTTP controller reads them. */
@Injectable()
export class ProjectionStore {
  constructor(
    private readonly generations: ViewGenerations,
    private readonly announcer: ViewAnnouncer,
    private readonly revisions: RevisionStore,
  ) {}

  /**
   * One bulk write for a whole batch, then its announcements; the consumer commits the batch
   * only once both are done. The generation is looked up under the swap lock, so a batch
   * lands entirely in the collection that is live when it is written.
   */
  applyBatch(events: readonly EventEnvelope[]): Promise<HandleOutcome[]> {
    return withWriteLock(GENERATION_LOCK, async () => {
      const collection = await this.generations.current();
      // Revisions first: a view never shows a state whose revision is not recorded.
      const toApply = [...events, ...(await this.revisions.record(events))];
      const { outcomes, versions } = await this.generations.writerFor(collection).applyBatch(toApply);
      await this.announcer.announce(versions);
      return outcomes.slice(0, events.length);
    });
  }

  async find(code: string): Promise<OperationViewDocument | null> {
    const collection = await this.generations.current();
    const stored = await collection.findOne({ _id: code });
    return stored && decodeView(stored);
  }

  async list(): Promise<OperationViewDocument[]> {
    const collection = await this.generations.current();
    return (await collection.find({}).sort({ _id: 1 }).toArray()).map(decodeView);
  }
}
