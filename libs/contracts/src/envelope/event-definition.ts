import { Topic } from '../topics';
import { EventEnvelope } from './event-envelope';
import { EventSource } from './event-source';

/** One event contract: a (type, schemaVersion) pair, the shape of its data, and its topic. */
export interface EventDefinition<T = unknown> {
  type: string;
  schemaVersion: number;
  source: EventSource;
  topic: Topic;
  /** null: the event's data is null (a deletion). */
  payload: (new () => T) | null;
  /** One line, for AsyncAPI. */
  summary: string;
  example: EventEnvelope<T>;
}
