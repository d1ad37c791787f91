import { EventEnvelope, EVENT_TYPES } from '@focus/contracts';
import { Bucket, OperationState, Projected } from './operation-state';

/** Which part of an operation's state each event type writes. */
const BUCKET_OF_EVENT_TYPE: Record<string, Bucket> = {
  [EVENT_TYPES.populationFigureUpserted]: 'figures',
  [EVENT_TYPES.populationFigureDeleted]: 'figures',
  [EVENT_TYPES.populationTotalUpserted]: 'totals',
  [EVENT_TYPES.populationTotalDeleted]: 'totals',
  [EVENT_TYPES.budgetLineUpserted]: 'budget',
  [EVENT_TYPES.budgetLineDeleted]: 'budget',
  [EVENT_TYPES.narrativesProfileUpserted]: 'profile',
  [EVENT_TYPES.narrativesProfileDeleted]: 'profile',
  [EVENT_TYPES.narrativesKeyFiguresUpserted]: 'keyFigures',
  [EVENT_TYPES.narrativesKeyFiguresDeleted]: 'keyFigures',
  [EVENT_TYPES.narrativesSectionUpserted]: 'sections',
  [EVENT_TYPES.narrativesSectionDeleted]: 'sections',
  [EVENT_TYPES.contributionsContributionRecorded]: 'contributions',
  [EVENT_TYPES.contributionsContributionUpdated]: 'contributions',
  [EVENT_TYPES.contributionsContributionCancelled]: 'contributions',
  // Held like the others, at its version: the view of the operation left then lists it no more
  // (its state is earmarked elsewhere), and an older event of the old earmark can't undo that.
  [EVENT_TYPES.contributionsContributionMoved]: 'contributions',
};

export const PROJECTED_EVENT_TYPES = Object.keys(BUCKET_OF_EVENT_TYPE);

/**
 * Applies an event-carried state to an operation's state, in place, if it is newer than the
 * state held for that entity. Returns whether anything changed. Pure: the same events in any
 * order, any number of times, leave the same state.
 */
export function applyEvent(state: OperationState, event: EventEnvelope): boolean {
  return applyEventAt(state, event) !== undefined;
}

/**
 * applyEvent, returning where in the view document it wrote (`figures.KAZ:2018:REF`,
 * `profile`), or undefined when it changed nothing: what a partial update must `$set`.
 * Entity ids hold no '.' (codes, years, keys and UUIDs), so the path is unambiguous.
 */
export function applyEventAt(state: OperationState, event: EventEnvelope): string | undefined {
  const bucket = BUCKET_OF_EVENT_TYPE[event.type];
  if (!bucket) return undefined;
  const { entityId, version } = event.subject;
  const held: Projected<unknown> | undefined = bucket === 'profile' ? state.profile : state[bucket][entityId];
  if (held && held.v >= version) return undefined;
  const projected = { v: version, s: event.data ?? null };
  if (bucket === 'profile') {
    state.profile = projected as OperationState['profile'];
    return 'profile';
  }
  (state[bucket] as Record<string, Projected<unknown>>)[entityId] = projected;
  return `${bucket}.${entityId}`;
}
