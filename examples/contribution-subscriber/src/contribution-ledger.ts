import { Contribution, ContributionEvent } from './contribution-event';

export type Outcome = 'applied' | 'skipped';

export interface LedgerEntry {
  version: number;
  contribution: Contribution;
}

export interface OperationTotals {
  operationCode: string;
  pledgedCents: number;
  paidCents: number;
  /** Contributions whose amount the donor has not disclosed. */
  undisclosed: number;
}

/** The subject of an unearmarked contribution (the contract's UNEARMARKED_OPERATION_CODE). */
export const UNEARMARKED = 'UNEARMARKED';

/**
 * The subscriber's own store: the latest state of each contribution, an event applied only
 * when its version is newer than the one held. Every event carries the full state, so it
 * never calls the contributions service back, and duplicates or late deliveries change
 * nothing. "moved" carries the same state as the "updated" published with it (under the
 * operation left): a ledger keyed by contribution id needs nothing more from it. Here the
 * store is a Map; a real one keeps the same (id, version, state) with the same rule.
 */
export class ContributionLedger {
  private readonly entries = new Map<string, LedgerEntry>();

  apply(event: ContributionEvent): Outcome {
    const held = this.entries.get(event.subject.entityId);
    if (held && held.version >= event.subject.version) return 'skipped';
    this.entries.set(event.subject.entityId, { version: event.subject.version, contribution: event.data });
    return 'applied';
  }

  get(id: string): LedgerEntry | undefined {
    return this.entries.get(id);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Pledged and paid amounts per operation (UNEARMARKED for the rest); cancelled ones count for nothing. */
  totals(): OperationTotals[] {
    const byOperation = new Map<string, OperationTotals>();
    for (const { contribution } of this.entries.values()) {
      if (contribution.status === 'cancelled') continue;
      const operationCode = contribution.operationCode ?? UNEARMARKED;
      const totals = byOperation.get(operationCode) ?? { operationCode, pledgedCents: 0, paidCents: 0, undisclosed: 0 };
      if (contribution.amountCents === undefined) totals.undisclosed += 1;
      else if (contribution.status === 'paid') totals.paidCents += contribution.amountCents;
      else totals.pledgedCents += contribution.amountCents;
      byOperation.set(operationCode, totals);
    }
    return [...byOperation.values()].sort((a, b) => a.operationCode.localeCompare(b.operationCode));
  }
}
