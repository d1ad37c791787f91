import {
  BudgetLineState,
  ContributionState,
  KeyFigureSetState,
  NarrativeSectionState,
  OperationProfileState,
  PopulationFigureState,
  PopulationTotalState,
} from '@focus/contracts';
import { OutboxFields } from '@focus/messaging';

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

export interface OperationViewDocument extends OperationState, OutboxFields {
  _id: string;
  /** Bumped by every applied event: the view's ETag and the version in operation-view.updated. */
  version: number;
  updatedAt: Date;
}

export function emptyState(): OperationState {
  return { figures: {}, totals: {}, budget: {}, keyFigures: {}, sections: {}, contributions: {} };
}
