import type { Collection } from 'mongodb';
import { EventEnvelope } from '@focus/contracts';
import { HandleOutcome, Known, MAX_UPDATES_PER_COMMAND, revisionId, RevisionDocument, RevisionLog } from '@focus/messaging';
import { applyEventAt } from './apply-event';
import { BUCKETS, emptyState, mergeState, OperationState, StateChanges, stateOf, viewVersion } from './operation-state';
import { decodeView, encodeBuckets, StoredViewDocument } from './stored-view';

const MAX_ATTEMPTS = 5;
/**
 * Views read, changed and written together; a multiple of MAX_UPDATES_PER_COMMAND. What a round
 * holds decoded is most of what the aggregator holds, so rounds stay small.
 */
export const VIEWS_PER_ROUND = 3 * MAX_UPDATES_PER_COMMAND;

/**
 * One write of one view: the entity states a batch changed in it, as JSON text (one field, as
 * FerretDB's cost goes by fields), kept beside the views (`_id` `${code}@${revision}`).
 */
export interface ViewRevision extends RevisionDocument {
  changes: string;
  recordedAt: Date;
}

/** A view's version as a batch left it, and the request that last changed it (for the announcement). */
export interface ViewVersion {
  version: number;
  correlationId?: string;
}

export interface BatchResult {
  outcomes: HandleOutcome[];
  /** Every operation the batch touched, changed or not, at the version now stored. */
  versions: Map<string, ViewVersion>;
}

/**
 * Applies events to the views of one generation, on a RevisionLog: each batch's changes to a
 * view are a revision appended after the view's head (its stored document, field `revision`),
 * then the head is written whole. Two aggregators writing one view (a view is fed by several
 * topics, whose partitions can be on different instances; or a rebalance overlap) can't lose
 * each other's changes: of two appends after one revision one fails, and its writer merges
 * the winner's changes and appends again. Merging is applying events' rule (newer entity
 * state wins), so a view converges to what a rebuild makes, whatever the order of writers.
 * Every operation a batch touches is read once, a few views at a time (VIEWS_PER_ROUND).
 * Announcing is the caller's (ViewAnnouncer).
 */
export class ViewWriter {
  private readonly log: RevisionLog<ViewRevision, OperationState>;

  constructor(
    readonly collection: Collection<StoredViewDocument>,
    readonly revisions: Collection<ViewRevision>,
  ) {
    this.log = new RevisionLog<ViewRevision, OperationState>({
      heads: collection as unknown as Collection,
      revisions,
      seqField: 'revision',
      valueOf: (head) => stateOf(decodeView(head as StoredViewDocument)),
      fold: (before, revision) => mergeState(before ?? emptyState(), JSON.parse(revision.changes) as StateChanges),
      // Whole: on FerretDB an older head write can land over a newer one, and only a whole
      // head is right whatever it lands on. A view stored before buckets were text becomes text.
      headFields: (_, state) => ({ version: viewVersion(state), updatedAt: new Date(), ...encodeBuckets(state, BUCKETS) }),
    });
  }

  async applyBatch(events: readonly EventEnvelope[]): Promise<BatchResult> {
    const outcomes: HandleOutcome[] = events.map(() => 'skipped');
    const versions = new Map<string, ViewVersion>();
    // A view is hundreds of kB once decoded, and a catching-up batch touches every operation:
    // in groups, only a group's views are held at a time.
    const byOperation = [...indexesByOperation(events)];
    for (let start = 0; start < byOperation.length; start += VIEWS_PER_ROUND) {
      await this.applyToViews(events, new Map(byOperation.slice(start, start + VIEWS_PER_ROUND)), outcomes, versions);
    }
    return { outcomes, versions };
  }

  /** Applies the events at `pending` (by operation) to their views; a view another writer got to first is read forward and done again. */
  private async applyToViews(
    events: readonly EventEnvelope[],
    pending: Map<string, number[]>,
    outcomes: HandleOutcome[],
    versions: Map<string, ViewVersion>,
  ): Promise<void> {
    let known = await this.log.heads([...pending.keys()]);
    /** Views whose head lags a revision read past it (one an aggregator appended before it died): settled even if nothing changes. */
    const behind: Array<{ key: string } & Known<OperationState>> = [];
    for (let attempt = 1; pending.size > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`operation views ${[...pending.keys()].join(', ')}: concurrent writers kept winning`);
      const appended: ViewRevision[] = [];
      const after = new Map<string, Known<OperationState> & { correlationId?: string }>();
      for (const [code, indexes] of pending) {
        const held = known.get(code);
        const state = held?.value ?? emptyState();
        const changes: StateChanges = {};
        for (const index of indexes) {
          const path = applyEventAt(state, events[index]);
          outcomes[index] = path === undefined ? 'skipped' : 'applied';
          if (path !== undefined) recordChange(changes, state, path);
        }
        // Nothing newer than the head, so nothing newer than the newest revision either.
        if (Object.keys(changes).length === 0) {
          if (held) versions.set(code, { version: viewVersion(state) });
          if (held && attempt > 1) behind.push({ key: code, ...held });
          continue;
        }
        const seq = (held?.seq ?? 0) + 1;
        appended.push({ _id: revisionId(code, seq), key: code, seq, changes: JSON.stringify(changes), recordedAt: new Date() });
        after.set(code, { seq, value: state, correlationId: events[indexes[indexes.length - 1]].correlationId });
      }
      if (appended.length === 0) break;
      const taken = await this.log.append(appended);
      const lost = new Set([...after].filter(([code, { seq }]) => taken.has(revisionId(code, seq))).map(([code]) => code));
      const landed = [...after].filter(([code]) => !lost.has(code));
      const settled = await this.log.settle(landed.map(([key, { seq, value }]) => ({ key, seq, value })));
      for (const [code, { value, correlationId }] of landed)
        versions.set(code, { version: viewVersion(settled.get(code)?.value ?? value), correlationId });
      // The rest lost their revision to another writer: from their heads, read forward and apply again.
      pending = new Map([...pending].filter(([code]) => lost.has(code)));
      if (pending.size === 0) break;
      const heads = await this.log.heads([...pending.keys()]);
      known = new Map();
      for (const code of pending.keys()) {
        const newest = await this.log.latest(code, heads.get(code));
        if (newest) known.set(code, newest);
      }
    }
    if (behind.length > 0) await this.log.settle(behind);
  }

  /** Every view's stored version (a rebuilt collection going live announces them all). */
  async storedVersions(): Promise<Map<string, ViewVersion>> {
    const views = await this.collection.find({}, { projection: { version: 1 } }).toArray();
    return new Map(views.map((view) => [view._id, { version: view.version }]));
  }
}

/** Notes in `changes` the entity state at `path` (applyEventAt's `figures.KAZ:2018:REF`, `profile`) as `state` now holds it. */
function recordChange(changes: StateChanges, state: OperationState, path: string): void {
  if (path === 'profile') {
    changes.profile = state.profile;
    return;
  }
  const dot = path.indexOf('.');
  const bucket = path.slice(0, dot) as Exclude<keyof OperationState, 'profile'>;
  const id = path.slice(dot + 1);
  const into = (changes[bucket] ??= {}) as Record<string, unknown>;
  into[id] = (state[bucket] as Record<string, unknown>)[id];
}

function indexesByOperation(events: readonly EventEnvelope[]): Map<string, number[]> {
  const byCode = new Map<string, number[]>();
  events.forEach((event, index) => {
    const code = event.subject.operationCode;
    const indexes = byCode.get(code);
    if (indexes) indexes.push(index);
    else byCode.set(code, [index]);
  });
  return byCode;
}
