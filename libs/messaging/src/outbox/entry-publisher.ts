import type { Producer } from 'kafkajs';
import { BrokerTimeoutError } from '../errors';
import { MessagingMetrics } from '../metrics';
import { OutboxEntry } from './outbox-entry';

export interface EntryPublisherOptions {
  /** Connected or not: the publisher connects it when needed and never owns its lifecycle. */
  producer: Producer;
  /** Prepended to every entry's topic: lets test suites and environments share a broker. */
  topicPrefix?: string;
  metrics?: MessagingMetrics;
  /** A publish that takes longer is abandoned and the producer reconnected. */
  sendTimeoutMs?: number;
}

/** How long a publish that timed out waits for its producer to disconnect before it gives up on that. */
const DISCONNECT_WAIT_MS = 5_000;

/**
 * Publishes serialized events (outbox entries: exactly the bytes and headers to send) with
 * acks from every in-sync replica, one batch per call. It owns reconnecting: a broker that
 * was down at start-up or went away later is simply retried by the caller's next call.
 */
export class EntryPublisher {
  private connected = false;

  constructor(private readonly options: EntryPublisherOptions) {
    const { producer } = options;
    producer.on(producer.events.CONNECT, () => (this.connected = true));
    producer.on(producer.events.DISCONNECT, () => (this.connected = false));
  }

  async publish(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { producer } = this.options;
    if (!this.connected) await deadline(producer.connect(), this.options.sendTimeoutMs ?? 15_000);
    const byTopic = new Map<string, OutboxEntry[]>();
    for (const entry of entries) byTopic.set(entry.topic, [...(byTopic.get(entry.topic) ?? []), entry]);
    const sent = producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic: `${this.options.topicPrefix ?? ''}${topic}`,
        messages: list.map((e) => ({ key: e.key, value: e.value, headers: e.headers })),
      })),
    });
    try {
      await deadline(sent, this.options.sendTimeoutMs ?? 15_000);
    } catch (error) {
      // kafkajs can keep a request queued on a connection to a broker that restarted;
      // dropping the connection and reconnecting next time is what unsticks it. A batch
      // that did land in the meantime is published again: a duplicate, never a loss.
      // The disconnect is bounded too: kafkajs' waits for the requests in flight, the stuck one
      // included, and unbounded it can hold the relay (or the aggregator's announcements) for good.
      sent.catch(() => undefined);
      this.connected = false;
      await deadline(producer.disconnect(), DISCONNECT_WAIT_MS).catch(() => undefined);
      throw error;
    }
    for (const [topic, list] of byTopic) this.options.metrics?.published.inc({ topic }, list.length);
  }
}

function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BrokerTimeoutError(`the broker did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
