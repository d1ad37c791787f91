import { Logger } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { EventEnvelope } from '@focus/contracts';
import { EventConsumer, HandleOutcome, MessagingMetrics } from '@focus/messaging';
import { PROJECTION_BATCHES } from './projection-batches';
import { sourceTopics } from './source-topics';

export interface ProjectionEntryOptions {
  kafka: Kafka;
  producer: Producer;
  metrics: MessagingMetrics;
  /** The full group id (prefix included): the live projection's, or a rebuild's own. */
  groupId: string;
  topicPrefix: string;
  logger: Logger;
  /** Applies a batch of events in order, saying for each whether it changed anything. */
  apply: (events: readonly EventEnvelope[]) => Promise<HandleOutcome[]>;
}

/**
 * The one way events enter the read model, for the live projection and for a rebuild alike:
 * the four domain topics from the beginning, in batches of PROJECTION_BATCHES, poison to the DLQ.
 *
 * Not an `@EventPattern` handler on @nestjs/microservices' Kafka transport: that transport
 * hands a handler one message at a time and commits as it goes, while the projection's cost
 * is a read and a write per view per batch: one event per handler call would cost a read and
 * a write per event. EventConsumer gives the handler the whole fetched batch and commits
 * after it.
 */
export function createProjectionConsumer(options: ProjectionEntryOptions): EventConsumer {
  const { logger } = options;
  return new EventConsumer({
    kafka: options.kafka,
    producer: options.producer,
    metrics: options.metrics,
    groupId: options.groupId,
    topics: sourceTopics(options.topicPrefix),
    fromBeginning: true,
    ...PROJECTION_BATCHES,
    handler: {
      handle: async (event) => (await options.apply([event]))[0],
      handleBatch: (items) => options.apply(items.map((item) => item.event)),
    },
    log: (level, message) => logger[level === 'info' ? 'log' : level](message),
  });
}
