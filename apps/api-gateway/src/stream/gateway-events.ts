import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Consumer, Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { decodeEvent, EVENT_TYPES, OperationViewUpdatedState, TOPICS } from '@focus/contracts';
import { backoffDelay, createKafka, ensureTopics, sleep } from '@focus/messaging';
import { InjectConfig, kafkaReplication, ReadinessRegistry } from '@focus/service-kit';
import { GatewayConfig } from '../config';
import { ViewsService } from '../views/views.service';
import { EventRing, StreamEvent } from './event-ring';

/** `live`: published after this gateway started; otherwise replayed history, new to this instance only. */
type Listener = (event: StreamEvent, live: boolean) => void;

/**
 * The gateway's two Kafka consumers, each in a consumer group of this instance's own (so every
 * replica sees every event; nothing is committed that matters):
 * - operation-view.events, from the latest offset: drops cached views. The cache is used only
 *   while this consumer is fetching; it is emptied whenever that stops or starts again.
 * - contributions.events, from the beginning: the newest CONTRIBUTION_STREAM_BUFFER events are
 *   kept for Last-Event-ID, and those that arrive after start-up go to the SSE subscribers.
 */
@Injectable()
export class GatewayEvents implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('GatewayEvents');
  private readonly kafka: Kafka;
  private readonly instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly consumers: Consumer[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly closers = new Set<() => void>();
  private readonly stopping = new AbortController();
  readonly ring: EventRing;
  /** Per partition, the first offset that is live (not history) for the stream. */
  private liveFrom = new Map<number, bigint>();
  /** Partitions whose history is not read yet. */
  private readonly replaying = new Set<number>();
  private viewEventsState = 'starting';
  private contributionsState = 'starting';

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly views: ViewsService,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.ring = new EventRing(config.CONTRIBUTION_STREAM_BUFFER);
    this.kafka = createKafka({ clientId: `api-gateway-${this.instance}`, brokers: config.KAFKA_BROKERS.split(',') }, (level, message, extra) => {
      if (level === 'error') this.logger.error({ ...extra }, message);
      else if (level === 'warn') this.logger.warn({ ...extra }, message);
    });
  }

  onApplicationBootstrap() {
    // Reported, not required: the gateway serves (uncached, without a live stream) without them.
    this.readiness.register({ name: 'events', check: async () => ({ ok: true, detail: { views: this.viewEventsState, contributions: this.contributionsState, cache: this.views.cache.isEnabled() } }) });
    void this.startWithRetries();
  }

  async beforeApplicationShutdown() {
    this.stopping.abort();
    // Open streams would hold the server open: they end, and their clients reconnect elsewhere.
    for (const close of this.closers) close();
    this.views.cache.setEnabled(false);
    await Promise.all(this.consumers.map((c) => c.disconnect().catch(() => undefined)));
  }

  /** Whether the recent history is all in the ring (after start-up, once every partition is read). */
  get caughtUp(): boolean {
    return this.contributionsState === 'running' && this.replaying.size === 0;
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
        await this.startViewEvents();
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
        [TOPICS.operationView, TOPICS.contributions].map((t) => ({ topic: this.topic(t), partitions: this.config.KAFKA_TOPIC_PARTITIONS, retentionMs: -1 })),
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

  private async startViewEvents(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `api-gateway.views.${this.instance}`, allowAutoTopicCreation: false });
    this.consumers.push(consumer);
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
      this.viewEventsState = 'joined';
    });
    // The first fetch after joining means offsets are set: from then on no change is missed.
    consumer.on(consumer.events.FETCH, () => {
      if (joined && !this.views.cache.isEnabled()) {
        this.views.cache.setEnabled(true);
        this.viewEventsState = 'running';
      }
    });
    const off = () => {
      joined = false;
      this.views.cache.setEnabled(false);
    };
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.viewEventsState = `crashed: ${payload.error.message}`;
      off();
    });
    consumer.on(consumer.events.DISCONNECT, off);
    consumer.on(consumer.events.STOP, off);
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic(TOPICS.operationView)], fromBeginning: false });
    await consumer.run({
      // Nothing to commit (a group of this instance's own, read from the latest offset), and
      // kafkajs' auto-commit is a round trip to the coordinator after every batch, before the
      // next fetch: on the path from a view's change to the cache dropping it.
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const decoded = decodeEvent(message.value);
        if (!decoded.ok) {
          // A message we cannot read may announce a change: drop everything to be safe.
          this.logger.warn(`operation-view.events: unreadable message (${decoded.reason}); cache emptied`);
          this.views.cache.clear();
          return;
        }
        if (decoded.event.type !== EVENT_TYPES.operationViewUpdated) return;
        const data = decoded.event.data as OperationViewUpdatedState;
        this.views.cache.invalidate(data.operationCode, data.version);
      },
    });
  }

  private async startContributions(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `api-gateway.stream.${this.instance}`, allowAutoTopicCreation: false });
    this.consumers.push(consumer);
    consumer.on(consumer.events.GROUP_JOIN, () => (this.contributionsState = 'running'));
    consumer.on(consumer.events.CRASH, ({ payload }) => (this.contributionsState = `crashed: ${payload.error.message}`));
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
