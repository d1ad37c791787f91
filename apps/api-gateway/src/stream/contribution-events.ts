import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Consumer, Kafka } from 'kafkajs';
import { decodeEvent, TOPICS } from '@focus/contracts';
import { backoffDelay, createKafka, ensureTopics, sleep } from '@focus/messaging';
import { InjectConfig, kafkaReplication } from '@focus/service-kit';
import { GatewayConfig } from '../config';
import { GATEWAY_INSTANCE } from '../gateway-instance';
import { EventRing, StreamEvent } from './event-ring';

/** `live`: published after this gateway started; otherwise replayed history, new to this instance only. */
type Listener = (event: StreamEvent, live: boolean) => void;

/**
 * The gateway's consumer of contributions.events, in a consumer group of this instance's own
 * (so every replica sees every event; nothing is committed that matters), from the beginning:
 * the newest CONTRIBUTION_STREAM_BUFFER events are kept for Last-Event-ID, and those that
 * arrive after start-up go to the SSE subscribers. (Cached views are dropped by
 * views/view-invalidation.controller.ts.)
 */
@Injectable()
export class ContributionEvents implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ContributionEvents');
  private readonly kafka: Kafka;
  private readonly consumers: Consumer[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly closers = new Set<() => void>();
  private readonly stopping = new AbortController();
  readonly ring: EventRing;
  /** Per partition, the first offset that is live (not history) for the stream. */
  private liveFrom = new Map<number, bigint>();
  /** Partitions whose history is not read yet. */
  private readonly replaying = new Set<number>();
  /** For readiness: starting, running or crashed. */
  state = 'starting';

  constructor(@InjectConfig() private readonly config: GatewayConfig) {
    this.ring = new EventRing(config.CONTRIBUTION_STREAM_BUFFER);
    this.kafka = createKafka(
      { clientId: `api-gateway-${GATEWAY_INSTANCE}`, brokers: config.KAFKA_BROKERS.split(',') },
      (level, message, extra) => {
        if (level === 'error') this.logger.error({ ...extra }, message);
        else if (level === 'warn') this.logger.warn({ ...extra }, message);
      },
    );
  }

  onApplicationBootstrap() {
    void this.startWithRetries();
  }

  async beforeApplicationShutdown() {
    this.stopping.abort();
    // Open streams would hold the server open: they end, and their clients reconnect elsewhere.
    for (const close of this.closers) close();
    await Promise.all(this.consumers.map((c) => c.disconnect().catch(() => undefined)));
  }

  /** Whether the recent history is all in the ring (after start-up, once every partition is read). */
  get caughtUp(): boolean {
    return this.state === 'running' && this.replaying.size === 0;
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** `close` ends the subscriber's stream when the gateway shuts down. */
  subscribe(listener: Listener, close: () => void = () => undefined): () => void {
    this.listeners.add(listener);
    this.closers.add(close);
    return () => {
      this.listeners.delete(listener);
      this.closers.delete(close);
    };
  }

  private topic(name: string): string {
    return `${this.config.KAFKA_TOPIC_PREFIX}${name}`;
  }

  private async startWithRetries(): Promise<void> {
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      try {
        await this.ensureTopics();
        await this.startContributions();
        return;
      } catch (error) {
        this.logger.warn(`event consumers not started (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`);
        await Promise.all(this.consumers.splice(0).map((c) => c.disconnect().catch(() => undefined)));
        await sleep(backoffDelay(attempt, { initialMs: 500, maxMs: 10_000 }), this.stopping.signal);
      }
    }
  }

  private async ensureTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(
        admin,
        [{ topic: this.topic(TOPICS.contributions), partitions: this.config.KAFKA_TOPIC_PARTITIONS, retentionMs: -1 }],
        kafkaReplication(this.config),
      );
      const offsets = await admin.fetchTopicOffsets(this.topic(TOPICS.contributions));
      this.liveFrom = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
      this.replaying.clear();
      for (const o of offsets) if (BigInt(o.high) > BigInt(o.low)) this.replaying.add(o.partition);
    } finally {
      await admin.disconnect();
    }
  }

  private async startContributions(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `api-gateway.stream.${GATEWAY_INSTANCE}`, allowAutoTopicCreation: false });
    this.consumers.push(consumer);
    consumer.on(consumer.events.GROUP_JOIN, () => (this.state = 'running'));
    consumer.on(consumer.events.CRASH, ({ payload }) => (this.state = `crashed: ${payload.error.message}`));
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic(TOPICS.contributions)], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const offset = BigInt(message.offset);
        const liveFrom = this.liveFrom.get(partition) ?? 0n;
        if (offset + 1n >= liveFrom) this.replaying.delete(partition);
        const decoded = decodeEvent(message.value);
        if (!decoded.ok) return; // the owner's DLQ handling is not ours; readers skip poison
        const event = decoded.event;
        const streamEvent: StreamEvent = { id: event.id, operationCode: event.subject.operationCode, data: JSON.stringify(event) };
        const live = offset >= liveFrom;
        if (!this.ring.add(streamEvent, live)) return; // delivered twice: sent once
        for (const listener of this.listeners) listener(streamEvent, live);
      },
    });
  }
}
