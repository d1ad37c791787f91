/**
 * contributions.events as this subscriber reads it: types written from the published JSON
 * Schemas (libs/contracts/schemas/contributions.contribution.*.v1.schema.json), which are
 * what it validates against (contract.ts). Only the fields it uses are spelled out.
 */
export const CONTRIBUTION_EVENT_TYPES = [
  'contributions.contribution.recorded',
  'contributions.contribution.updated',
  'contributions.contribution.cancelled',
  'contributions.contribution.moved',
] as const;
export type ContributionEventType = (typeof CONTRIBUTION_EVENT_TYPES)[number];

export interface Contribution {
  id: string;
  donor: { name: string; type: string };
  /** The calendar date of the contribution (YYYY-MM-DD). */
  date: string;
  /** Absent when unearmarked. */
  operationCode?: string;
  status: 'pledged' | 'paid' | 'cancelled';
  /** Integer US cents; absent when the donor has not disclosed it. */
  amountCents?: number;
}

export interface ContributionEvent {
  id: string;
  type: ContributionEventType;
  schemaVersion: 1;
  occurredAt: string;
  source: 'contributions';
  /** operationCode: the Kafka key, UNEARMARKED for an unearmarked contribution; version: the contribution's. */
  subject: { operationCode: string; entityId: string; version: number };
  correlationId?: string;
  data: Contribution;
}
