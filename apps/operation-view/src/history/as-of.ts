import { applyEvent } from '../projection/apply-event';
import { emptyState, OperationState, viewVersion } from '../projection/operation-state';
import { eventOf, isContributionType, RevisionDocument } from './revision';

export interface StateAsOf {
  state: OperationState;
  /** viewVersion of that state: what the live view's version was once it held the same. */
  version: number;
  /** When the newest revision folded was recorded. */
  lastRecordedAt: Date;
}

/**
 * An operation's state as the projection held it at `instant`: its revisions recorded at or
 * before it, folded by the projection's own applyEvent, so the view built from it is the one
 * the live view was. `contributions` are the newest revisions (up to the instant) of every
 * contribution ever earmarked here, wherever earmarked since, so one that left by then is held
 * at the state that took it elsewhere and not listed, as in the live view.
 * Undefined when nothing about the operation had been recorded by then.
 */
export function stateAsOf(
  code: string,
  own: readonly RevisionDocument[],
  contributions: readonly RevisionDocument[],
  instant: Date,
): StateAsOf | undefined {
  const at = instant.getTime();
  const recorded = own.filter((r) => r.recordedAt.getTime() <= at);
  if (recorded.length === 0) return undefined;
  const state = emptyState();
  let last = 0;
  for (const revision of [...recorded, ...contributions.filter((r) => r.recordedAt.getTime() <= at)]) {
    applyEvent(state, eventOf(revision, code));
    last = Math.max(last, revision.recordedAt.getTime());
  }
  return { state, version: viewVersion(state), lastRecordedAt: new Date(last) };
}

/**
 * The contributions among an operation's revisions whose revisions elsewhere stateAsOf may
 * need: all but those whose every version is here. Versions are numbered 1, 2, 3… by the
 * owner, so a contribution recorded here as 1..k, and held by the live view at k, was never
 * anywhere else up to now; looking each one up would cost a query per contribution.
 */
export function contributionsToLookUp(revisions: readonly RevisionDocument[], liveVersions: ReadonlyMap<string, number>): string[] {
  const versions = new Map<string, number[]>();
  for (const r of revisions) {
    if (!isContributionType(r.type)) continue;
    const list = versions.get(r.entityId);
    if (list) list.push(r.version);
    else versions.set(r.entityId, [r.version]);
  }
  return [...versions].flatMap(([id, list]) => {
    const held = new Set(list);
    const allHere = held.size === liveVersions.get(id) && list.every((v) => v >= 1 && v <= held.size);
    return allHere ? [] : [id];
  });
}
