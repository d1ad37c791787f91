import { EventEnvelope, EVENT_TYPES, UNEARMARKED_OPERATION_CODE } from '@focus/contracts';
import { PROJECTED_EVENT_TYPES } from '../projection/apply-event';

/**
 * One revision of one entity, as its event carried it. Its identity is the event's
 * (entityId, version), the same pair that identifies the revision at its owner: `_id` is
 * `<entityId>@<version>`, so recording it is an insert under the unique `_id` index, atomic
 * between aggregators on FerretDB and MongoDB alike, and a redelivered or replayed event
 * (or a `moved` event beside its `updated` twin) is a duplicate that changes nothing.
 */
export interface RevisionDocument {
  _id: string;
  entityId: string;
  version: number;
  /**
   * The operation the revision belongs to. For a contribution, the one its state is earmarked
   * for: its `moved` event (published under the operation it left, same version) and its
   * `updated` event are one revision, whichever arrives first.
   */
  operationCode: string;
  /** The event type that carried it (`….deleted` for a deletion). */
  type: string;
  /** The entity's full state at this version; null for a deletion. */
  state: Record<string, unknown> | null;
  /** When Focus recorded the change: the event's occurredAt. */
  recordedAt: Date;
  /** The request that made the change (its x-request-id), when it came from one. */
  correlationId?: string;
  eventId: string;
}

const PROJECTED = new Set(PROJECTED_EVENT_TYPES);

export const revisionId = (entityId: string, version: number): string => `${entityId}@${version}`;

export function isContributionType(type: string): boolean {
  return type.startsWith('contributions.');
}

/** The revision an event carries, or undefined for a type the views don't hold. */
export function revisionOf(event: EventEnvelope): RevisionDocument | undefined {
  if (!PROJECTED.has(event.type)) return undefined;
  const { entityId, version, operationCode } = event.subject;
  const state = (event.data ?? null) as Record<string, unknown> | null;
  const earmark =
    isContributionType(event.type) && state
      ? ((state['operationCode'] as string | undefined) ?? UNEARMARKED_OPERATION_CODE)
      : operationCode;
  return {
    _id: revisionId(entityId, version),
    entityId,
    version,
    operationCode: earmark,
    // One type for one revision, whichever of its twin events is recorded.
    type: event.type === EVENT_TYPES.contributionsContributionMoved ? EVENT_TYPES.contributionsContributionUpdated : event.type,
    state,
    recordedAt: new Date(event.occurredAt),
    ...(event.correlationId ? { correlationId: event.correlationId } : {}),
    eventId: event.id,
  };
}

/** A revision as the event that would carry it under `operationCode` (for the projection's fold). */
export function eventOf(revision: RevisionDocument, operationCode: string): EventEnvelope {
  return {
    id: revision.eventId,
    type: revision.type,
    schemaVersion: 1,
    occurredAt: revision.recordedAt.toISOString(),
    source: revision.type.split('.')[0] as EventEnvelope['source'],
    subject: { operationCode, entityId: revision.entityId, version: revision.version },
    ...(revision.correlationId ? { correlationId: revision.correlationId } : {}),
    data: revision.state,
  };
}
