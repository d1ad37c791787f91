import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { decodeEvent, EventEnvelope } from '@focus/contracts';
import { BackoffPolicy, backoffDelay, DEFAULT_BACKOFF, sleep } from '../backoff';
import { describeError, isInfrastructureError, PermanentError } from '../errors';
import { MessagingMetrics } from '../metrics';
import { DeadLetterReason, sendToDeadLetterTopic } from './dead-letter';

/** What handling an event did: `skipped` when the handler already held this version or newer. */
export type HandleOutcome = 'applied' | 'skipped';

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  headers: Record<string, string>;
}

export interface EventHandler {
  handle(event: EventEnvelope, context: MessageContext): Promise<HandleOutcome>;
  /**
   * Optional: applies many events with one write (a projection's bulk write), returning one
   * outcome per event in order. If it fails for any reason but an outage, the consumer falls
   * back to `handle` one event at a time, so one poison event cannot hold its neighbours back.
   */
  handleBatch?(items: ReadonlyArray<{ event: EventEnvelope; context: MessageContext }>): Promise<HandleOutcome[]>;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  handler: EventHandler;
  /** Shared with the relay where an app has both; used for dead letters. */
  producer: Producer;
  metrics?: MessagingMetrics;
  /** Attempts for a failing handler before its message is dead-lettered. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  fromBeginning?: boolean;
  /** Most events handed to `handleBatch` at once (default 500). */
  maxBatchSize?: number;
  /**
   * Most bytes one fetch brings per partition (kafkajs' default, 1 MiB, when unset): with
   * `maxBatchSize`, how much a consumer catching up applies per write.
   */
  maxBytesPerPartition?: number;
  /**
   * Most bytes one fetch brings in all (kafkajs' default, 10 MiB, when unset): what a fetch
   * holds in memory while it is applied. The broker fills partitions in turn up to it.
   */
  maxBytesPerFetch?: number;
  /** A consumer that has not fetched or heartbeated for this long is reported stalled. */
  stallAfterMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** Between starts of a consumer kafkajs gave up on (see startAgain). */
const RESTART_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000 };

export type ConsumerState = 'idle' | 'starting' | 'running' | 'retrying' | 'crashed' | 'stopped';

export interface ConsumerHealth {
  state: ConsumerState;
  healthy: boolean;
  detail?: string;
}

/**
 * Decode → validate → handle → commit, in that order, per partition. An offset is committed
 * only after its message has had its effect (or gone to the DLQ), so a crash redelivers and
 * never skips. Poison goes to `<topic>.dlq`; an outage of our own database is waited out.
 */
export class EventConsumer {
  private consumer?: Consumer;
  private state: ConsumerState = 'idle';
  private detail?: string;
  private lastSignOfLife = Date.now();
  private readonly stopping = new AbortController();
  private readonly maxAttempts: number;
  private crashesInARow = 0;

  constructor(private readonly options: EventConsumerOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    this.state = 'starting';
    const { maxBytesPerPartition, maxBytesPerFetch } = this.options;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
      ...(maxBytesPerPartition ? { maxBytesPerPartition } : {}),
      ...(maxBytesPerFetch ? { maxBytes: maxBytesPerFetch } : {}),
    });
    this.consumer = consumer;
    const alive = () => {
      this.lastSignOfLife = Date.now();
    };
    consumer.on(consumer.events.HEARTBEAT, alive);
    consumer.on(consumer.events.FETCH, alive);
    consumer.on(consumer.events.GROUP_JOIN, () => {
      alive();
      this.state = 'running';
      this.crashesInARow = 0;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.detail = describeError(payload.error);
      // kafkajs restarts itself after a retriable crash; after any other it has left the
      // group for good, and a read model would silently stop following its topics.
      this.state = payload.restart ? 'starting' : 'crashed';
      this.options.log?.('error', `consumer ${groupId} crashed (restart: ${payload.restart}): ${this.detail}`);
      if (!payload.restart && consumer === this.consumer) void this.startAgain(consumer);
    });
    consumer.on(consumer.events.STOP, () => {
      this.state = 'stopped';
    });
    // Dead letters go out through this producer: it must be up before the first poison arrives.
    await this.options.producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /**
   * A consumer of its own again after a crash kafkajs does not restart from, after a backoff
   * growing with each one in a row: nothing is skipped, since offsets are committed only
   * after their messages had their effect. A crash that recurs at once keeps this consumer
   * unready (health), retrying, rather than stopped.
   */
  private async startAgain(crashed: Consumer): Promise<void> {
    this.crashesInARow += 1;
    await sleep(backoffDelay(this.crashesInARow, RESTART_BACKOFF), this.stopping.signal);
    if (this.stopping.signal.aborted || crashed !== this.consumer) return;
    await crashed.disconnect().catch(() => undefined);
    this.options.log?.('warn', `consumer ${this.options.groupId}: starting again after a crash (${this.crashesInARow} in a row)`);
    await this.start().catch((error: unknown) => {
      this.detail = describeError(error);
      this.state = 'crashed';
      this.options.log?.('error', `consumer ${this.options.groupId} could not start again: ${this.detail}`);
      if (this.consumer) void this.startAgain(this.consumer);
    });
  }

  /** Graceful: the batch in hand finishes and commits before the consumer leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.consumer) await this.consumer.disconnect();
    this.state = 'stopped';
  }

  health(): ConsumerHealth {
    const stallAfterMs = this.options.stallAfterMs ?? 30_000;
    if (this.state === 'running' && Date.now() - this.lastSignOfLife > stallAfterMs) {
      return { state: this.state, healthy: false, detail: `no fetch or heartbeat for ${stallAfterMs} ms` };
    }
    return { state: this.state, healthy: this.state === 'running' || this.state === 'retrying', detail: this.detail };
  }

  private async eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const lag = Number(batch.offsetLag());
    this.options.metrics?.lag.set({ topic, partition: String(partition), group: this.options.groupId }, lag);
    let lastDone: string | undefined;
    if (this.options.handler.handleBatch) {
      const size = this.options.maxBatchSize ?? 500;
      for (let start = 0; start < batch.messages.length; start += size) {
        if (!isRunning() || isStale()) break;
        const chunk = batch.messages.slice(start, start + size);
        await this.processChunk(topic, partition, chunk, heartbeat);
        lastDone = chunk[chunk.length - 1].offset;
        resolveOffset(lastDone);
        await heartbeat();
      }
    } else {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        await this.process(topic, partition, message, heartbeat);
        resolveOffset(message.offset);
        lastDone = message.offset;
        await heartbeat();
      }
    }
    if (lastDone !== undefined && this.consumer) {
      await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(lastDone) + 1n).toString() }]);
    }
  }

  /**
   * The batch path: poison is dead-lettered first (at-least-once, like every letter), the
   * valid events go to `handleBatch` together. An outage is waited out; any other failure
   * sends the chunk down the one-by-one path, which isolates and dead-letters the culprit.
   */
  private async processChunk(topic: string, partition: number, messages: KafkaMessage[], heartbeat: () => Promise<void>) {
    const { metrics, groupId, handler } = this.options;
    const items: Array<{ event: EventEnvelope; context: MessageContext }> = [];
    for (const message of messages) {
      const decoded = decodeEvent(message.value);
      if (decoded.ok)
        items.push({ event: decoded.event, context: { topic, partition, offset: message.offset, headers: stringHeaders(message) } });
      else await this.deadLetter(topic, partition, message, decoded.reason, decoded.errors.join('; '), 0);
    }
    if (items.length === 0 || !handler.handleBatch) return;
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await handler.handleBatch(items);
        const applied = outcomes.filter((outcome) => outcome === 'applied').length;
        metrics?.consumed.inc({ topic, group: groupId }, applied);
        if (applied < outcomes.length) metrics?.skipped.inc({ topic, group: groupId, reason: 'not-newer' }, outcomes.length - applied);
        if (this.state === 'retrying') this.state = 'running';
        return;
      } catch (error) {
        if (!isInfrastructureError(error)) {
          this.options.log?.(
            'warn',
            `${topic}[${partition}]: batch of ${items.length} failed, handling one by one: ${describeError(error)}`,
          );
          const valid = new Set(items.map((item) => item.context.offset));
          for (const message of messages) if (valid.has(message.offset)) await this.process(topic, partition, message, heartbeat);
          return;
        }
        this.state = 'retrying';
        this.detail = describeError(error);
        this.options.log?.('warn', `${topic}[${partition}]: batch attempt ${attempt} failed (outage, waiting): ${this.detail}`);
        await sleep(backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF), this.stopping.signal);
        if (this.stopping.signal.aborted) throw new Error('consumer stopping: batch left uncommitted for redelivery');
        await heartbeat();
      }
    }
  }

  private async process(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>) {
    const { metrics, groupId } = this.options;
    const decoded = decodeEvent(message.value);
    if (!decoded.ok) {
      await this.deadLetter(topic, partition, message, decoded.reason, decoded.errors.join('; '), 0);
      return;
    }
    const context: MessageContext = { topic, partition, offset: message.offset, headers: stringHeaders(message) };
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.options.handler.handle(decoded.event, context);
        if (outcome === 'skipped') metrics?.skipped.inc({ topic, group: groupId, reason: 'not-newer' });
        else metrics?.consumed.inc({ topic, group: groupId });
        if (this.state === 'retrying') this.state = 'running';
        return;
      } catch (error) {
        if (error instanceof PermanentError) {
          await this.deadLetter(topic, partition, message, 'permanent-error', describeError(error), attempt);
          return;
        }
        const outage = isInfrastructureError(error);
        if (!outage && attempt >= this.maxAttempts) {
          await this.deadLetter(topic, partition, message, 'retries-exhausted', describeError(error), attempt);
          return;
        }
        this.state = 'retrying';
        this.detail = describeError(error);
        this.options.log?.(
          'warn',
          `${topic}[${partition}]@${message.offset}: attempt ${attempt} failed${outage ? ' (outage, waiting)' : ''}: ${this.detail}`,
        );
        await sleep(backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF), this.stopping.signal);
        if (this.stopping.signal.aborted) throw new Error('consumer stopping: message left uncommitted for redelivery');
        await heartbeat();
      }
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: DeadLetterReason,
    error: string,
    attempts: number,
  ) {
    this.options.log?.('warn', `${topic}[${partition}]@${message.offset} → ${topic}.dlq (${reason}): ${error}`);
    await sendToDeadLetterTopic(this.options.producer, { topic, partition, message, group: this.options.groupId, reason, error, attempts });
    this.options.metrics?.deadLettered.inc({ topic, group: this.options.groupId, reason });
  }
}

function stringHeaders(message: KafkaMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return headers;
}
