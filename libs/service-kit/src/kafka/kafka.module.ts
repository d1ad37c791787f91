import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { Topic } from '@focus/contracts';
import { createIdempotentProducer, createKafka, ensureTopics } from '@focus/messaging';
import { AppConfig, kafkaReplication } from '../config/service-config';
import { ReadinessRegistry } from '../health/readiness';
import { KafkaReadiness } from './kafka-readiness';

export const KAFKA = Symbol('KAFKA');
export const PRODUCER = Symbol('PRODUCER');
const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');

export interface KafkaModuleOptions {
  /** The topics this app publishes to or reads; created at start-up (with their DLQs) if missing. */
  topics: Topic[];
}

/** The app's Kafka client, as AppConfig describes the cluster, logging into the app's log. */
export function kafkaOf(config: AppConfig): Kafka {
  const logger = new Logger('Kafka');
  return createKafka({ clientId: config.SERVICE_NAME ?? 'focus', brokers: config.KAFKA_BROKERS.split(',') }, (level, message, extra) =>
    level === 'error'
      ? logger.error({ ...extra }, message)
      : level === 'warn'
        ? logger.warn({ ...extra }, message)
        : logger.debug?.({ ...extra }, message),
  );
}

/** Creates the topics and reports the broker in readiness; disconnects the producer once the app has stopped using it. */
@Injectable()
class KafkaLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly kafkaReadiness: KafkaReadiness;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRODUCER) private readonly producer: Producer,
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaModuleOptions,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.kafkaReadiness = new KafkaReadiness(kafka);
  }

  async onApplicationBootstrap() {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(
        admin,
        this.options.topics.map((topic) => ({
          topic: `${this.config.KAFKA_TOPIC_PREFIX}${topic}`,
          partitions: this.config.KAFKA_TOPIC_PARTITIONS,
          retentionMs: -1,
        })),
        kafkaReplication(this.config),
      );
    } finally {
      await admin.disconnect();
    }
    // Not ready without a broker: writes would still be stored, but nothing would reach anyone.
    this.readiness.register({ name: 'kafka', check: () => this.kafkaReadiness.check() });
  }

  /** After every beforeApplicationShutdown hook: the relay and consumers have stopped producing by then. */
  async onApplicationShutdown() {
    await this.kafkaReadiness.close();
    await this.producer.disconnect();
  }
}

/**
 * Kafka for an app: the client, one idempotent producer, its topics and the broker's
 * readiness. Global, so the outbox, consumers and announcers of any module inject KAFKA and
 * PRODUCER; the outbox (OutboxModule) is a separate module on top of it.
 */
@Global()
@Module({})
export class KafkaModule {
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        { provide: KAFKA_OPTIONS, useValue: options },
        { provide: KAFKA, inject: [AppConfig], useFactory: kafkaOf },
        { provide: PRODUCER, inject: [KAFKA], useFactory: (kafka: Kafka) => createIdempotentProducer(kafka) },
        KafkaLifecycle,
      ],
      exports: [KAFKA, PRODUCER],
    };
  }
}
