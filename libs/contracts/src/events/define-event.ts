import { EventDefinition } from '../envelope/event-definition';
import { EventEnvelope } from '../envelope/event-envelope';
import { EventSource } from '../envelope/event-source';
import { Topic, TOPICS } from '../topics';

const TOPIC_OF_SOURCE: Record<EventSource, Topic> = {
  population: TOPICS.population,
  budget: TOPICS.budget,
  narratives: TOPICS.narratives,
  contributions: TOPICS.contributions,
  'operation-view': TOPICS.operationView,
};

/** The topic an owner publishes on: one per source, so an owner's events share one order. */
export function topicOfSource(source: EventSource): Topic {
  return TOPIC_OF_SOURCE[source];
}

type ExampleParts<T> = Pick<EventEnvelope<T>, 'id' | 'occurredAt' | 'subject' | 'correlationId' | 'data'>;

/**
 * Declares an event; its topic and the example's type, version and source follow from the
 * declaration, so they can't disagree with it.
 */
export function defineEvent<T>(declaration: {
  type: string;
  schemaVersion: number;
  source: EventSource;
  payload: (new () => T) | null;
  summary: string;
  example: ExampleParts<T>;
}): EventDefinition<T> {
  const { type, schemaVersion, source, payload, summary, example } = declaration;
  const { id, occurredAt, subject, correlationId, data } = example;
  return {
    type,
    schemaVersion,
    source,
    topic: topicOfSource(source),
    payload,
    summary,
    example: { id, type, schemaVersion, occurredAt, source, subject, ...(correlationId === undefined ? {} : { correlationId }), data },
  };
}
