import { ContributionState, EventEnvelope, EVENTS, UNEARMARKED_OPERATION_CODE } from '@focus/contracts';
import type { EventHandler, HandleOutcome } from '@focus/messaging';

export interface LedgerEntry {
  version: number;
  contribution: ContributionState;
}

export interface OperationTotals {
  operationCode: string;
  pledgedCents: number;
  paidCents: number;
  /** Contributions whose amount the donor has not disclosed. */
  undisclosed: number;
}

const CONTRIBUTION_EVENT_TYPES = new Set<string>([
  EVENTS.contributionsContributionRecorded.type,
  EVENTS.contributionsContributionUpdated.type,
  EVENTS.contributionsContributionCancelled.type,
]);

/**
 * What an internal team's subscriber to `contributions.events` looks like: it keeps the latest
 * state of each contribution, applying an event only when its version is newer than the one
 * held. Every event carries the full state, so it never calls the contributions service back,
 * and duplicates or late deliveries change nothing. Here the "database" is a Map; a real
 * subscriber keeps the same (id, version, state) in its own store, with the same rule.
 */
export class ContributionLedger implements EventHandler {
  private readonly entries = new Map<string, LedgerEntry>();

  async handle(event: EventEnvelope): Promise<HandleOutcome> {
    // A newer contract version or a type this subscriber doesn't know is not its business.
    if (!CONTRIBUTION_EVENT_TYPES.has(event.type) || event.schemaVersion !== 1) return 'skipped';
    const held = this.entries.get(event.subject.entityId);
    if (held && held.version >= event.subject.version) return 'skipped';
    this.entries.set(event.subject.entityId, { version: event.subject.version, contribution: event.data as ContributionState });
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
      const operationCode = contribution.operationCode ?? UNEARMARKED_OPERATION_CODE;
      const totals = byOperation.get(operationCode) ?? { operationCode, pledgedCents: 0, paidCents: 0, undisclosed: 0 };
      if (contribution.amountCents === undefined) totals.undisclosed += 1;
      else if (contribution.status === 'paid') totals.paidCents += contribution.amountCents;
      else totals.pledgedCents += contribution.amountCents;
      byOperation.set(operationCode, totals);
    }
    return [...byOperation.values()].sort((a, b) => a.operationCode.localeCompare(b.operationCode));
  }
}
