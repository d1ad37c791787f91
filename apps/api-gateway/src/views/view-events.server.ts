import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, ServerKafka } from '@nestjs/microservices';
import { logLevel } from 'kafkajs';
import type { Consumer } from '@nestjs/microservices/external/kafka.interface';
import { backoffDelay, ensureTopics, sleep } from '@focus/messaging';
import { ViewCache } from './view-cache';

export interface ViewEventsServerOptions {
  brokers: string[];
  topicPrefix: string;
  partitions: number;
  /** Copies of each topic it creates (kafkaReplication of the app's config). */
  replication: { replicationFactor?: number; minInsyncReplicas?: number };
  /** This gateway process: its consumer group is its own, so every replica sees every event. */
  instance: string;
  cache: ViewCache;
}

/**
 * @nestjs/microservices' Kafka transport, as the gateway needs it for operation-view.events;
 * handlers are `@EventPattern(TOPICS.operationView)` methods (see ViewInvalidation). What the
 * stock ServerKafka does not do, and this one adds:
 * - topics carry KAFKA_TOPIC_PREFIX, patterns do not: a pattern is the topic without it;
 * - a group of this instance's own, read from the latest offset, and no commits: nothing
 *   committed matters, and kafkajs' auto-commit is a round trip to the coordinator after every
 *   batch, before the next fetch, on the path from a view's change to the cache dropping it;
 * - the view cache is used only while this consumer fetches (from the first fetch after it
 *   joined, when its offsets are set and no change can be missed), and emptied whenever that
 *   stops or starts again;
 * - a broker that is away at start-up does not stop the gateway (it serves uncached): the
 *   consumer is started in the background and retried.
 */
export class ViewEventsServer extends ServerKafka implements CustomTransportStrategy {
  private readonly stopping = new AbortController();
  private readonly viewLogger = new Logger('ViewEvents');
  /** For readiness: starting, joined, running or crashed. */
  state = 'starting';

  constructor(private readonly settings: ViewEventsServerOptions) {
    super({
      postfixId: '',
      client: {
        clientId: `api-gateway-${settings.instance}`,
        brokers: settings.brokers,
        // Warnings and errors only, as the rest of the gateway's Kafka clients log.
        logLevel: logLevel.WARN,
        connectionTimeout: 3_000,
        retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
      },
      consumer: { groupId: `api-gateway.views.${settings.instance}`, allowAutoTopicCreation: false },
      subscribe: { fromBeginning: false },
      run: { autoCommit: false },
      // The value stays bytes: the handler decodes it with the contract's own decoder.
      parser: { keepBinary: true },
      deserializer: {
        deserialize: (message: { value: unknown }, options?: { channel?: string }) => ({
          pattern: this.patternOf(options?.channel ?? ''),
          data: message.value,
        }),
      },
    });
  }

  override async listen(callback: (error?: unknown) => void): Promise<void> {
    callback();
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      try {
        this.client = this.createClient();
        await this.ensureTopics();
        await this.start(() => undefined);
        return;
      } catch (error) {
        this.viewLogger.warn(
          `operation-view.events consumer not started (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`,
        );
        await super.close().catch(() => undefined);
        await sleep(backoffDelay(attempt, { initialMs: 500, maxMs: 10_000 }), this.stopping.signal);
      }
    }
  }

  override async close(): Promise<void> {
    this.stopping.abort();
    this.settings.cache.setEnabled(false);
    await super.close();
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    await consumer.subscribe({
      ...this.options.subscribe,
      topics: [...this.messageHandlers.keys()].map((pattern) => this.settings.topicPrefix + pattern),
    });
    await consumer.run({ ...this.options.run, eachMessage: this.getMessageHandler() });
  }

  protected override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    const consumer = this.consumer;
    if (!consumer) return;
    const { cache } = this.settings;
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
      this.state = 'joined';
    });
    consumer.on(consumer.events.FETCH, () => {
      if (joined && !cache.isEnabled()) {
        cache.setEnabled(true);
        this.state = 'running';
      }
    });
    const off = () => {
      joined = false;
      cache.setEnabled(false);
    };
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.state = `crashed: ${payload.error.message}`;
      off();
    });
    consumer.on(consumer.events.DISCONNECT, off);
    consumer.on(consumer.events.STOP, off);
  }

  private patternOf(topic: string): string {
    return topic.startsWith(this.settings.topicPrefix) ? topic.slice(this.settings.topicPrefix.length) : topic;
  }

  private async ensureTopics(): Promise<void> {
    if (!this.client) throw new Error('no Kafka client');
    const admin = this.client.admin();
    await admin.connect();
    try {
      const topics = [...this.messageHandlers.keys()].map((pattern) => this.settings.topicPrefix + pattern);
      await ensureTopics(
        admin as never,
        topics.map((topic) => ({ topic, partitions: this.settings.partitions, retentionMs: -1 })),
        this.settings.replication,
      );
    } finally {
      await admin.disconnect();
    }
  }
}
