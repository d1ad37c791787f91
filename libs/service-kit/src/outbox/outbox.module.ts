import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Producer } from 'kafkajs';
import { MessagingMetrics, OutboxRelay, revisionsOf } from '@focus/messaging';
import { ServiceConfig } from '../config/service-config';
import { ReadinessRegistry } from '../health/readiness';
import { PRODUCER } from '../kafka/kafka.module';

const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxModuleOptions {
  /**
   * The collections of entities (VersionedRepository heads). Their events wait in their
   * revisions (revisionsOf); the heads themselves are drained too, for events written before
   * revisions existed.
   */
  collections: string[];
}

/** Starts the relay once the app is up, stops it before the database closes. */
@Injectable()
class OutboxLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private delayTimer?: NodeJS.Timeout;

  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
    @Inject(getConnectionToken()) private readonly connection: Connection,
    private readonly relay: OutboxRelay,
    private readonly config: ServiceConfig,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap() {
    // The relay's search for what no hint named (after a crash, or another process's writes).
    for (const name of this.options.collections) await this.connection.db?.collection(revisionsOf(name)).createIndex({ outboxPending: 1 });
    this.startRelay();
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
        return {
          ok: (delayed || health.running) && !health.lastError,
          detail: { backlog, lastError: health.lastError, ...(delayed ? { startDelayedMs: delayMs } : {}) },
        };
      },
    });
  }

  async beforeApplicationShutdown() {
    clearTimeout(this.delayTimer);
    await this.relay.stop();
  }
}

/** The outbox relay of an owner service, on KafkaModule's producer. */
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxModuleOptions): DynamicModule {
    const revisions = options.collections.map(revisionsOf);
    return {
      module: OutboxModule,
      providers: [
        { provide: OUTBOX_OPTIONS, useValue: options },
        {
          provide: OutboxRelay,
          inject: [getConnectionToken(), PRODUCER, ServiceConfig, MessagingMetrics],
          useFactory: (connection: Connection, producer: Producer, config: ServiceConfig, metrics: MessagingMetrics) => {
            const logger = new Logger('OutboxRelay');
            if (!connection.db) throw new Error('MongoDB connection has no database yet');
            return new OutboxRelay({
              db: connection.db,
              collections: [...revisions, ...options.collections],
              retained: revisions,
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
      exports: [OutboxRelay],
    };
  }
}
