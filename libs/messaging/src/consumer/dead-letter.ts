import type { KafkaMessage, Producer } from 'kafkajs';
import { DEAD_LETTER_REASONS, DLQ_HEADERS, dlqTopicOf } from '@focus/contracts';

export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  group: string;
  reason: DeadLetterReason;
  error: string;
  attempts: number;
}

/**
 * Sends a message to `<topic>.dlq` as it arrived (same key, value and headers) plus headers
 * that say where it came from and why it failed, so it can be inspected and replayed.
 */
export async function sendToDeadLetterTopic(producer: Producer, letter: DeadLetter): Promise<void> {
  const headers = { ...(letter.message.headers ?? {}) };
  Object.assign(headers, {
    [DLQ_HEADERS.topic]: letter.topic,
    [DLQ_HEADERS.partition]: String(letter.partition),
    [DLQ_HEADERS.offset]: letter.message.offset,
    [DLQ_HEADERS.group]: letter.group,
    [DLQ_HEADERS.reason]: letter.reason,
    // Headers are small by convention; the full error is in the consumer's log.
    [DLQ_HEADERS.error]: letter.error.slice(0, 2_000),
    [DLQ_HEADERS.attempts]: String(letter.attempts),
    [DLQ_HEADERS.failedAt]: new Date().toISOString(),
  });
  await producer.send({
    topic: dlqTopicOf(letter.topic),
    acks: -1,
    messages: [{ key: letter.message.key, value: letter.message.value, headers }],
  });
}
