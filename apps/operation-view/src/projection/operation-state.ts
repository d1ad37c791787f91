import {
  BudgetLineState,
  ContributionState,
  KeyFigureSetState,
  NarrativeSectionState,
  OperationProfileState,
  PopulationFigureState,
  PopulationTotalState,
} from '@focus/contracts';

/** The newest state of one entity the projection has seen; `s: null` is a deletion kept as a tombstone. */
export interface Projected<S> {
  v: number;
  s: S | null;
}

/**
 * Everything the events say about one operation, by entity id: the raw material of its
 * view. Keeping each entity's version (tombstones too) is what makes replays, duplicates and
 * reordering harmless: an event applies only if it is newer than what is held.
 */
export interface OperationState {
  profile?: Projected<OperationProfileState>;
  figures: Record<string, Projected<PopulationFigureState>>;
  totals: Record<string, Projected<PopulationTotalState>>;
  budget: Record<string, Projected<BudgetLineState>>;
  keyFigures: Record<string, Projected<KeyFigureSetState>>;
  sections: Record<string, Projected<NarrativeSectionState>>;
  contributions: Record<string, Projected<ContributionState>>;
}

export type Bucket = Exclude<keyof OperationState, 'profile'> | 'profile';

export interface OperationViewDocument extends OperationState {
  _id: string;
  /** See viewVersion: the ETag's basis and the version in operation-view.updated. */
  version: number;
  updatedAt: Date;
}

export function emptyState(): OperationState {
  return { figures: {}, totals: {}, budget: {}, keyFigures: {}, sections: {}, contributions: {} };
}

export const ENTITY_BUCKETS = ['figures', 'totals', 'budget', 'keyFigures', 'sections', 'contributions'] as const;
/** Every part of a state: the profile and the entity buckets. */
export const BUCKETS: readonly Bucket[] = ['profile', ...ENTITY_BUCKETS];

/**
 * The view's version: the sum of the versions of every entity state it holds (tombstones
 * included). Each applied event raises it, so it only grows; and it depends on which states
 * are held, not on how or in what batches they arrived, so a rebuild reproduces it and every
 * replica derives the same ETag from it.
 */
export function viewVersion(state: OperationState): number {
  let sum = state.profile?.v ?? 0;
  for (const bucket of ENTITY_BUCKETS) for (const held of Object.values(state[bucket])) sum += held.v;
  return sum;
}

/** The projected part of a stored view document. */
export function stateOf(document: OperationState): OperationState {
  const { profile, figures, totals, budget, keyFigures, sections, contributions } = document;
  return { ...(profile ? { profile } : {}), figures, totals, budget, keyFigures, sections, contributions };
}

/** Entity states as some events left them: what a view revision records. */
export type StateChanges = Partial<OperationState>;

/**
 * Merges changes into a state, in place, keeping the newer of each entity's states: the same
 * rule as applying events, so merging revisions in any order gives the same state.
 */
export function mergeState(into: OperationState, changes: StateChanges): OperationState {
  if (changes.profile && (!into.profile || into.profile.v < changes.profile.v)) into.profile = changes.profile;
  for (const bucket of ENTITY_BUCKETS) {
    const held = into[bucket] as Record<string, Projected<unknown>>;
    for (const [id, projected] of Object.entries(changes[bucket] ?? {})) {
      if (!held[id] || held[id].v < projected.v) held[id] = projected;
    }
  }
  return into;
}
