/*
 * Header names are part of the wire contract: consumers outside Focus filter and triage by
 * them, so they are declared here with the envelope rather than inside the messaging code.
 */

/** Set on every event message; they repeat envelope fields, and the envelope is authoritative. */
export const EVENT_HEADERS = {
  type: 'event-type',
  schemaVersion: 'event-schema-version',
  contentType: 'content-type',
  correlationId: 'correlation-id',
} as const;

/** Added to a message, next to its original headers, when it is moved to `<topic>.dlq`. */
export const DLQ_HEADERS = {
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  group: 'dlq-consumer-group',
  reason: 'dlq-reason',
  error: 'dlq-error',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

/**
 * Set instead of the value on a letter whose value the DLQ topic could not take (its
 * `max.message.bytes`, counted with the headers above): the value's size in bytes, in decimal.
 * The message itself is still on its topic, at `dlq-original-partition` and `dlq-original-offset`.
 */
export const DLQ_VALUE_OMITTED = 'dlq-value-omitted';

/** The `dlq-reason` values: the four decode failures, then the two ways a handler gives up. */
export const DEAD_LETTER_REASONS = [
  'invalid-json',
  'invalid-envelope',
  'unknown-type',
  'invalid-payload',
  'permanent-error',
  'retries-exhausted',
] as const;
