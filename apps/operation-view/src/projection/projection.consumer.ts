import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { EventConsumer, MessagingMetrics } from '@focus/messaging';
import { KAFKA, PRODUCER, ReadinessRegistry } from '@focus/service-kit';
import { OperationViewConfig } from '../config';
import { ProjectionStore } from './projection.store';
import { PROJECTION_BATCHES } from './projection-batches';
import { sourceTopics } from './source-topics';

/**
 * Consumes the four domain topics into the live views, a batch per bulk write. Instances
 * sharing CONSUMER_GROUP split the partitions; readiness fails when consumption stops.
 */
@Injectable()
export class ProjectionConsumer implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Projection');
  private readonly consumer: EventConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(PRODUCER) producer: Producer,
    config: OperationViewConfig,
    metrics: MessagingMetrics,
    store: ProjectionStore,
    readiness: ReadinessRegistry,
  ) {
    this.consumer = new EventConsumer({
      kafka,
      producer,
      metrics,
      groupId: `${config.KAFKA_TOPIC_PREFIX}${config.CONSUMER_GROUP}`,
      topics: sourceTopics(config.KAFKA_TOPIC_PREFIX),
      fromBeginning: true,
      ...PROJECTION_BATCHES,
      handler: {
        handle: async (event) => (await store.applyBatch([event]))[0],
        handleBatch: (items) => store.applyBatch(items.map((item) => item.event)),
      },
      log: (level, message) => this.logger[level === 'info' ? 'log' : level](message),
    });
    readiness.register({ name: 'consumer', check: async () => ({ ok: this.consumer.health().healthy, detail: this.consumer.health() }) });
  }

  /** Called once the topics exist (the outbox module creates them at bootstrap). */
  start(): Promise<void> {
    return this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
