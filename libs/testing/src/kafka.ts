import { Kafka, KafkaMessage } from 'kafkajs';
import { randomBytes } from 'node:crypto';

export interface ReadMessage {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

export async function createTopics(kafka: Kafka, topics: string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions })) });
    // kafkajs' own waitForLeaders gives up on the first "does not host this topic-partition",
    // which a KRaft broker answers for a moment after creating a topic (seen in CI): wait it out.
    await eventually(
      async () => {
        const metadata = await admin.fetchTopicMetadata({ topics });
        return metadata.topics.every((t) => t.partitions.length === numPartitions && t.partitions.every((p) => p.leader >= 0)) || undefined;
      },
      30_000,
      `leaders for ${topics.join(', ')}`,
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads a topic from the beginning with a throwaway consumer group until `until` holds for
 * what has arrived, or fails after `timeoutMs` saying what did arrive.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  until: (messages: ReadMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${randomBytes(4).toString('hex')}` });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`readTopic(${topic}): condition not met within ${timeoutMs} ms; got ${messages.length} messages`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          messages.push(toReadMessage(partition, message));
          if (until(messages)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** Everything on a topic right now: reads up to the high watermarks taken at the call. */
export async function readAllNow(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0);
  if (total === 0) return [];
  return readTopic(kafka, topic, (messages) => messages.length >= total, timeoutMs);
}

function toReadMessage(partition: number, message: KafkaMessage): ReadMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
  return {
    key: message.key ? message.key.toString() : null,
    value: message.value ? message.value.toString() : null,
    headers,
    partition,
    offset: message.offset,
  };
}

/** Polls until `check` returns a value (not undefined) or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      // A check that hangs (a wedged server) must fail the wait too, not stall it forever.
      const value = await Promise.race([
        check(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('check did not return')), Math.max(1, deadline - Date.now())).unref(),
        ),
      ]);
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

/**
 * `wait`, or its error with `context()` appended (an app's last log lines, a last answer):
 * a wait that fails on a loaded CI machine should say what the waited-on party was doing.
 */
export async function explained<T>(wait: Promise<T>, context: () => string | Promise<string>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    const more = await Promise.resolve()
      .then(context)
      .catch((e: unknown) => `(no context: ${String(e)})`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${more}`);
  }
}
