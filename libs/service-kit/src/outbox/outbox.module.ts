import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Kafka, Producer } from 'kafkajs';
import { Topic } from '@focus/contracts';
import { createIdempotentProducer, createKafka, ensureTopics, MessagingMetrics, OutboxRelay } from '@focus/messaging';
import { kafkaReplication, ServiceConfig } from '../config/service-config';
import { ReadinessRegistry } from '../health/readiness';
import { KafkaReadiness } from './kafka-readiness';

export const KAFKA = Symbol('KAFKA');
export const PRODUCER = Symbol('PRODUCER');
const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxModuleOptions {
  /**
   * Collections whose documents carry an outbox (VersionedDocument). None: the app publishes
   * otherwise (the aggregator, from its consumer) and gets Kafka, the producer and its topics.
   */
  collections: string[];
  /** The topics this service publishes to; created at start-up with their DLQs. */
  topics: Topic[];
}

/** Starts the relay once the app is up, stops it before the database closes. */
@Injectable()
class OutboxLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private delayTimer?: NodeJS.Timeout;
  private readonly kafkaReadiness: KafkaReadiness;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRODUCER) private readonly producer: Producer,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
    private readonly relay: OutboxRelay,
    private readonly config: ServiceConfig,
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
    if (this.options.collections.length > 0) this.startRelay();
  }

  /**
   * Writes never wait for Kafka: they land in the outbox, and the relay (which connects its
   * producer itself) catches up when the broker is back. (OUTBOX_RELAY_START_DELAY_MS, a
   * fault-injection knob, holds the relay back a while; the service is ready meanwhile, with
   * its writes waiting in the outbox.)
   */
  private startRelay(): void {
    const delayMs = this.config.OUTBOX_RELAY_START_DELAY_MS;
    let delayed = delayMs > 0;
    if (delayed) {
      this.delayTimer = setTimeout(() => {
        delayed = false;
        this.relay.start();
      }, delayMs);
    } else this.relay.start();
    this.readiness.register({
      name: 'outbox',
      check: async () => {
        const health = this.relay.health();
        const backlog = this.relay.observedBacklog();
        return { ok: (delayed || health.running) && !health.lastError, detail: { backlog, lastError: health.lastError, ...(delayed ? { startDelayedMs: delayMs } : {}) } };
      },
    });
  }

  async beforeApplicationShutdown() {
    clearTimeout(this.delayTimer);
    await this.kafkaReadiness.close();
    await this.relay.stop();
    await this.producer.disconnect();
  }
}

@Module({})
export class OutboxModule {
  static forRoot(options: OutboxModuleOptions): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        { provide: OUTBOX_OPTIONS, useValue: options },
        {
          provide: KAFKA,
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) => {
            const logger = new Logger('Kafka');
            return createKafka({ clientId: config.SERVICE_NAME ?? 'focus', brokers: config.KAFKA_BROKERS.split(',') }, (level, message, extra) =>
              level === 'error' ? logger.error({ ...extra }, message) : level === 'warn' ? logger.warn({ ...extra }, message) : logger.debug?.({ ...extra }, message),
            );
          },
        },
        { provide: PRODUCER, inject: [KAFKA], useFactory: (kafka: Kafka) => createIdempotentProducer(kafka) },
        {
          provide: OutboxRelay,
          inject: [getConnectionToken(), PRODUCER, ServiceConfig, MessagingMetrics],
          useFactory: (connection: Connection, producer: Producer, config: ServiceConfig, metrics: MessagingMetrics) => {
            const logger = new Logger('OutboxRelay');
            if (!connection.db) throw new Error('MongoDB connection has no database yet');
            return new OutboxRelay({
              db: connection.db,
              collections: options.collections,
              producer,
              topicPrefix: config.KAFKA_TOPIC_PREFIX,
              metrics,
              pollIntervalMs: 1_000,
              log: (level, message) => logger[level === 'info' ? 'log' : level](message),
            });
          },
        },
        OutboxLifecycle,
      ],
      exports: [KAFKA, PRODUCER, OutboxRelay],
    };
  }
}
