import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { EventConsumer, MessagingMetrics } from '@focus/messaging';
import { KAFKA, PRODUCER, ReadinessRegistry } from '@focus/service-kit';
import { OperationViewConfig } from '../config';
import { ProjectionStore } from './projection.store';
import { createProjectionConsumer } from './projection-entry';

/**
 * Consumes the four domain topics into the live views (createProjectionConsumer). Instances
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
    this.consumer = createProjectionConsumer({
      kafka,
      producer,
      metrics,
      groupId: `${config.KAFKA_TOPIC_PREFIX}${config.CONSUMER_GROUP}`,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      logger: this.logger,
      apply: (events) => store.applyBatch(events),
    });
    readiness.register({ name: 'consumer', check: async () => ({ ok: this.consumer.health().healthy, detail: this.consumer.health() }) });
  }

  /** Called once the topics exist (KafkaModule creates them at bootstrap). */
  start(): Promise<void> {
    return this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
