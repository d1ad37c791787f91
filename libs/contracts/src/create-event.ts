import { v7 as uuidv7 } from 'uuid';
import { DecodeFailure, validateEvent } from './decode-event';
import { EventDefinition } from './envelope/event-definition';
import { EventEnvelope, EventSubject } from './envelope/event-envelope';

/** An event that its consumers would refuse; thrown before anything is written. */
export class InvalidEventError extends Error {
  constructor(
    readonly type: string,
    readonly reason: DecodeFailure,
    readonly errors: string[],
  ) {
    super(`invalid ${type} event (${reason}): ${errors.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

export interface CreateEventArgs<T> {
  subject: EventSubject;
  data: T | null;
  correlationId?: string;
  /** When the change happened; defaults to now. */
  occurredAt?: Date;
}

/**
 * Builds an event with a fresh UUID v7 id and checks it exactly as a consumer will (after a
 * JSON round trip), so an invalid event fails its producer's request instead of reaching a
 * dead-letter topic. Throws InvalidEventError.
 */
export function createEvent<T>(definition: EventDefinition<T>, args: CreateEventArgs<T>): EventEnvelope<T> {
  const { subject, data, correlationId, occurredAt = new Date() } = args;
  if (Number.isNaN(occurredAt.getTime()))
    throw new InvalidEventError(definition.type, 'invalid-envelope', ['occurredAt: must be a valid date']);
  const event: EventEnvelope<T> = {
    // uuid's v7 is monotonic within the process, so ids created later sort later even
    // within one millisecond; occurredAt may lie in the past and does not feed the id.
    id: uuidv7(),
    type: definition.type,
    schemaVersion: definition.schemaVersion,
    occurredAt: occurredAt.toISOString(),
    source: definition.source,
    subject: { operationCode: subject.operationCode, entityId: subject.entityId, version: subject.version },
    ...(correlationId === undefined ? {} : { correlationId }),
    data,
  };
  const checked = validateEvent(JSON.parse(JSON.stringify(event)));
  if (!checked.ok) throw new InvalidEventError(definition.type, checked.reason, checked.errors);
  return event;
}
