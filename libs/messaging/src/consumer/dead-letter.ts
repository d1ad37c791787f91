import type { KafkaMessage, Producer } from 'kafkajs';
import { DEAD_LETTER_REASONS, DLQ_HEADERS, DLQ_VALUE_OMITTED, dlqTopicOf } from '@focus/contracts';

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
 *
 * A letter is its message plus about 2 kB of headers, so a poison message near its topic's
 * size limit can be more than the DLQ takes: the broker refuses it, not retriably, and its
 * consumer could go no further. Such a letter goes without its value (DLQ_VALUE_OMITTED says
 * how big it was); the message stays findable on its own topic by partition and offset.
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
  const send = (value: Buffer | null, extra: Record<string, string> = {}) =>
    producer.send({
      topic: dlqTopicOf(letter.topic),
      acks: -1,
      messages: [{ key: letter.message.key, value, headers: { ...headers, ...extra } }],
    });
  try {
    await send(letter.message.value);
  } catch (error) {
    const { value } = letter.message;
    if (!value || !isMessageTooLarge(error)) throw error;
    await send(null, { [DLQ_VALUE_OMITTED]: String(value.length) });
  }
}

/** The broker's MESSAGE_TOO_LARGE, as kafkajs throws it or wraps it (retries, several brokers). */
function isMessageTooLarge(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { type?: unknown; originalError?: unknown; cause?: unknown; errors?: unknown };
  if (e.type === 'MESSAGE_TOO_LARGE') return true;
  const nested = [e.originalError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((inner) => isMessageTooLarge(inner, depth + 1));
}
