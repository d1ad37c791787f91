import type { Document, UpdateFilter } from 'mongodb';
import { EVENT_HEADERS, EventDefinition, EventEnvelope, eventDefinition } from '@focus/contracts';

/**
 * An event waiting inside its owner's document. The owner's state change and this entry are
 * written by one single-document update, which MongoDB and FerretDB both apply atomically:
 * either both happen or neither, without multi-document transactions.
 */
export interface OutboxEntry {
  /** The event id (uuid v7): sorting by it restores creation order. */
  id: string;
  topic: string;
  key: string;
  /** The serialized envelope, exactly the bytes that will be published. */
  value: string;
  headers: Record<string, string>;
}

/** The fields an owner document carries for its outbox. */
export interface OutboxFields {
  outbox: OutboxEntry[];
  /** Indexed, so the relay finds pending documents without scanning the collection. */
  outboxPending: boolean;
}

export const OUTBOX_SCHEMA_FIELDS = {
  outbox: { type: [Object], default: [] },
  outboxPending: { type: Boolean, default: false, index: true },
} as const;

/** The key that keeps one operation's events on one partition, in order. */
export function partitionKeyOf(event: EventEnvelope): string {
  return event.subject.operationCode;
}

export function toOutboxEntry(event: EventEnvelope): OutboxEntry {
  const definition: EventDefinition | undefined = eventDefinition(event.type, event.schemaVersion);
  if (!definition) throw new Error(`no contract for ${event.type} v${event.schemaVersion}`);
  const headers: Record<string, string> = {
    [EVENT_HEADERS.type]: event.type,
    [EVENT_HEADERS.schemaVersion]: String(event.schemaVersion),
    [EVENT_HEADERS.contentType]: 'application/json',
  };
  if (event.correlationId) headers[EVENT_HEADERS.correlationId] = event.correlationId;
  return { id: event.id, topic: definition.topic, key: partitionKeyOf(event), value: JSON.stringify(event), headers };
}

/**
 * Adds events to an update document: `$push` them and flag the document for the relay.
 * The caller's own `$set` is kept.
 */
export function withOutbox(
  update: { $set?: Record<string, unknown>; [operator: string]: unknown },
  events: EventEnvelope[],
): UpdateFilter<Document> {
  return {
    ...update,
    $set: { ...(update.$set ?? {}), outboxPending: true },
    $push: { outbox: { $each: events.map(toOutboxEntry) } },
  } as unknown as UpdateFilter<Document>; // the driver's operator types reject open-ended documents
}
