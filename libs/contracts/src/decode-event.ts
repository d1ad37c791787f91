import { EventDefinition } from './envelope/event-definition';
import { EventEnvelope, EventSubject } from './envelope/event-envelope';
import { eventDefinition } from './events/event-definitions';
import { ExpectedSubject, expectedSubjectOf } from './events/expected-subject';
import { isObjectNotArray } from './validation/is-object';
import { Validated, validateStrictly } from './validation/strict-validation';

/** Why a message was refused; a consumer sends it to `<topic>.dlq` with this reason. */
export type DecodeFailure = 'invalid-json' | 'invalid-envelope' | 'unknown-type' | 'invalid-payload';

export type DecodeResult = { ok: true; event: EventEnvelope } | { ok: false; reason: DecodeFailure; errors: string[] };

/** Parses and validates a Kafka message value. Never throws: poison must not stop a consumer. */
export function decodeEvent(raw: Buffer | string | null | undefined): DecodeResult {
  if (raw === null || raw === undefined) return refuse('invalid-json', ['(root): the message has no value']);
  let plain: unknown;
  try {
    plain = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (error) {
    return refuse('invalid-json', [`(root): not JSON (${error instanceof Error ? error.message : String(error)})`]);
  }
  return validateEvent(plain);
}

/**
 * Validates an already parsed event: the envelope, then its contract (type, schemaVersion),
 * then `data` against that contract. The event returned holds the validated instances.
 */
export function validateEvent(plain: unknown): DecodeResult {
  try {
    return validateContract(plain);
  } catch (error) {
    // A validator that throws on some input must not stop the consumer that calls us.
    return refuse('invalid-envelope', [`(root): could not be validated (${error instanceof Error ? error.message : String(error)})`]);
  }
}

function validateContract(plain: unknown): DecodeResult {
  if (!isObjectNotArray(plain)) return refuse('invalid-envelope', ['(root): must be an object']);
  // The envelope only checks what kind of value data is; its shape is the contract's business,
  // checked below, so that a fault inside data is reported as invalid-payload.
  const envelope = validateStrictly(EventEnvelope, { ...plain, data: isObjectNotArray(plain['data']) ? {} : plain['data'] });
  if (!envelope.ok) return refuse('invalid-envelope', envelope.errors);
  const event = envelope.value;

  const definition = eventDefinition(event.type, event.schemaVersion);
  if (!definition) return refuse('unknown-type', [`type: no contract for ${event.type} with schemaVersion ${event.schemaVersion}`]);
  if (event.source !== definition.source) return refuse('invalid-envelope', [`source: must be ${definition.source} for ${event.type}`]);

  const data = validateData(definition, event.subject, plain['data']);
  if (!data.ok) return refuse('invalid-payload', data.errors);
  event.data = data.value;
  return { ok: true, event };
}

function validateData(definition: EventDefinition, subject: EventSubject, data: unknown): Validated<unknown> {
  const { payload } = definition;
  if (payload === null)
    return data === null ? { ok: true, value: null } : { ok: false, errors: [`data: must be null for ${definition.type}`] };
  const validated = validateStrictly(payload as new () => object, data, 'data');
  if (!validated.ok) return validated;
  const errors = subjectMismatches(subject, expectedSubjectOf(definition.type, payload, validated.value));
  return errors.length > 0 ? { ok: false, errors } : validated;
}

function subjectMismatches(subject: EventSubject, expected: ExpectedSubject): string[] {
  const errors: string[] = [];
  if (expected.operationCodeIs === 'data' && subject.operationCode !== expected.operationCode) {
    errors.push(`subject.operationCode: must be ${expected.operationCode}, the operation code of data`);
  }
  if (expected.operationCodeIs === 'left' && subject.operationCode === expected.operationCode) {
    errors.push(`subject.operationCode: must be the operation the entity left, not ${expected.operationCode}, the operation code of data`);
  }
  if (subject.entityId !== expected.entityId) {
    errors.push(`subject.entityId: must be ${expected.entityId}, the entity id of data`);
  }
  return errors;
}

function refuse(reason: DecodeFailure, errors: string[]): DecodeResult {
  return { ok: false, reason, errors };
}
