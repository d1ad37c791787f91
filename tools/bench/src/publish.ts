import type { Kafka, Message } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { EventEnvelope } from '@focus/contracts';
import { toOutboxEntry } from '@focus/messaging';

const MESSAGES_PER_SEND = 2_000;

/**
 * Publishes events exactly as the outbox relay does (same key, value and headers), to the
 * topics under `topicPrefix`, in order per topic.
 */
export async function publishEvents(kafka: Kafka, topicPrefix: string, events: readonly EventEnvelope[]): Promise<void> {
  const byTopic = new Map<string, Message[]>();
  for (const event of events) {
    const entry = toOutboxEntry(event);
    const topic = `${topicPrefix}${entry.topic}`;
    const messages = byTopic.get(topic) ?? [];
    messages.push({ key: entry.key, value: entry.value, headers: entry.headers });
    byTopic.set(topic, messages);
  }
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (const [topic, messages] of byTopic) {
      for (let start = 0; start < messages.length; start += MESSAGES_PER_SEND) {
        await producer.send({ topic, acks: -1, messages: messages.slice(start, start + MESSAGES_PER_SEND) });
      }
    }
  } finally {
    await producer.disconnect();
  }
}
