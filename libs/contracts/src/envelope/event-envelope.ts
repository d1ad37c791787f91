import { UNEARMARKED_OPERATION_CODE } from '../operation-code';
import { Describe } from '../validation/describe';
import { NestedObject } from '../validation/nesting';
import {
  IsEventType,
  IsObjectOrNull,
  IsOneOf,
  IsOperationCode,
  IsText,
  IsTimestamp,
  IsUuidV7,
  IsWholeNumber,
  Omittable,
} from '../validation/rules';
import { EVENT_SOURCES, EventSource } from './event-source';

@Describe('Which entity the event is about, and which version of it the event carries.')
export class EventSubject {
  @Describe(
    `The operation the entity belongs to; also the Kafka message key, so one operation's events stay in order on one partition. "${UNEARMARKED_OPERATION_CODE}" for a contribution not earmarked for an operation.`,
  )
  @IsOperationCode()
  operationCode!: string;

  @Describe('The natural key of the entity, e.g. "KAZ:2018:REF" (operation:year:type).')
  @IsText(1, 300)
  entityId!: string;

  @Describe('Monotonic per entityId, deletions included: apply an event only if its version is higher than the one you hold.')
  @IsWholeNumber(1)
  version!: number;
}

// data is event-carried state: the entity's full new state, so a consumer never calls back.
@Describe('The envelope of every Focus event.')
export class EventEnvelope<T = unknown> {
  @Describe('UUID v7, unique per event: deduplicate by it. Ids sort by creation time.')
  @IsUuidV7()
  id!: string;

  @IsEventType()
  type!: string;

  @Describe("The version of this type's contract; with type, it selects the schema of data.")
  @IsWholeNumber(1)
  schemaVersion!: number;

  @Describe('When the change happened (ISO-8601 date-time with time zone).')
  @IsTimestamp()
  occurredAt!: string;

  @Describe('The service that owns the entity and alone publishes its events.')
  @IsOneOf(EVENT_SOURCES)
  source!: EventSource;

  @NestedObject(() => EventSubject)
  subject!: EventSubject;

  @Describe('Ties the event to the request that caused it, across services and logs.')
  @Omittable()
  @IsText(1, 200)
  correlationId?: string;

  @Describe("The entity's full new state, or null for a deletion. Its shape is given by (type, schemaVersion).")
  @IsObjectOrNull()
  data!: T | null;
}
