import type { Collection } from 'mongodb';
import { EventEnvelope } from '@focus/contracts';
import { EventHandler, HandleOutcome } from '../consumer/event-consumer';

interface Row {
  _id: string;
  version: number;
  data: unknown;
}

/**
 * The smallest correct projection: keeps each entity's newest version. It is what the
 * consumer's guarantees are tested against, and the pattern real projections follow.
 */
export class VersionedStore implements EventHandler {
  readonly seen: string[] = [];

  constructor(private readonly rows: Collection<Row>) {}

  async handle(event: EventEnvelope): Promise<HandleOutcome> {
    const { entityId, version } = event.subject;
    this.seen.push(`${entityId}@${version}`);
    const updated = await this.rows.updateOne({ _id: entityId, version: { $lt: version } }, { $set: { version, data: event.data } });
    if (updated.matchedCount === 1) return 'applied';
    try {
      await this.rows.insertOne({ _id: entityId, version, data: event.data });
      return 'applied';
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return 'skipped'; // exists with this version or newer
      throw error;
    }
  }

  snapshot(): Promise<Row[]> {
    return this.rows.find().sort({ _id: 1 }).toArray();
  }
}
