import { BudgetLineState } from '../payloads/budget-line';
import { defineEvent } from './define-event';
import { EVENT_TYPES } from './event-types';

export const budgetLineUpserted = defineEvent<BudgetLineState>({
  type: EVENT_TYPES.budgetLineUpserted,
  schemaVersion: 1,
  source: 'budget',
  payload: BudgetLineState,
  summary: "An operation's budget and expenditure for one pillar in one year was created or changed.",
  example: {
    id: '016bb1e9-8680-761a-bd37-e77b51352727',
    occurredAt: '2019-07-02T09:00:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ:2018:p1', version: 1 },
    // The page's USD 4.40666094 and 2.02644007 millions.
    data: { operationCode: 'KAZ', year: 2018, pillar: 1, budgetCents: 440_666_094, expenditureCents: 202_644_007 },
  },
});

export const budgetLineDeleted = defineEvent<null>({
  type: EVENT_TYPES.budgetLineDeleted,
  schemaVersion: 1,
  source: 'budget',
  payload: null,
  summary: "An operation's budget line for one pillar in one year was removed.",
  example: {
    id: '016bb1ee-1a60-7801-82b9-68dcb2968888',
    occurredAt: '2019-07-02T09:05:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ:2015:p4', version: 2 },
    data: null,
  },
});
