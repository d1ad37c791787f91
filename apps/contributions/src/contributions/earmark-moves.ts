import { ContributionState, createEvent, EventEnvelope, EVENTS, UNEARMARKED_OPERATION_CODE } from '@focus/contracts';

/** The key and subject of a contribution's events: the operation it is earmarked for, or UNEARMARKED. */
export function earmarkOf(state: ContributionState): string {
  return state.operationCode ?? UNEARMARKED_OPERATION_CODE;
}

/**
 * A contribution's events are keyed by its earmark, so the operation a re-earmark takes it away
 * from would never hear of the change, and its view would list the contribution forever. That
 * operation gets `contributions.contribution.moved` instead: the same version and new state,
 * under its own key (so it lands on that view's partition, whose single writer stays single).
 * Written with the change's own event, in the same document update: neither can be lost alone.
 */
export function movedAwayEvents(previous: ContributionState | null, event: EventEnvelope<ContributionState>): EventEnvelope[] {
  const next = event.data;
  if (!previous || !next || earmarkOf(previous) === earmarkOf(next)) return [];
  return [
    createEvent(EVENTS.contributionsContributionMoved, {
      subject: { ...event.subject, operationCode: earmarkOf(previous) },
      data: next,
      correlationId: event.correlationId,
      occurredAt: new Date(event.occurredAt),
    }),
  ];
}
