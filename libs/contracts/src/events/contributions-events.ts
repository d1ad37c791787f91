import { ContributionState } from '../payloads/contribution';
import { defineEvent } from './define-event';
import { EVENT_TYPES } from './event-types';

// The page lists date and donor only: amounts are not disclosed, so the examples leave them out.

export const contributionsContributionRecorded = defineEvent<ContributionState>({
  type: EVENT_TYPES.contributionsContributionRecorded,
  schemaVersion: 1,
  source: 'contributions',
  payload: ContributionState,
  summary: 'A contribution was recorded.',
  example: {
    id: '016bd1e2-5700-759b-9d54-0783593d2f2f',
    occurredAt: '2019-07-08T14:00:00.000Z',
    subject: { operationCode: 'KAZ', entityId: '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3', version: 1 },
    data: {
      id: '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3',
      donor: { name: 'European Union', type: 'eu' },
      date: '2019-07-08',
      operationCode: 'KAZ',
      status: 'pledged',
    },
  },
});

export const contributionsContributionUpdated = defineEvent<ContributionState>({
  type: EVENT_TYPES.contributionsContributionUpdated,
  schemaVersion: 1,
  source: 'contributions',
  payload: ContributionState,
  summary: 'A recorded contribution changed (e.g. a pledge was paid); data is its full new state.',
  example: {
    id: '016bdba5-bac0-7781-a2d9-88e4ba9e9090',
    occurredAt: '2019-07-10T11:30:00.000Z',
    subject: { operationCode: 'KAZ', entityId: '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3', version: 2 },
    data: {
      id: '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3',
      donor: { name: 'European Union', type: 'eu' },
      date: '2019-07-08',
      operationCode: 'KAZ',
      status: 'paid',
    },
  },
});

export const contributionsContributionCancelled = defineEvent<ContributionState>({
  type: EVENT_TYPES.contributionsContributionCancelled,
  schemaVersion: 1,
  source: 'contributions',
  payload: ContributionState,
  summary: 'A contribution was cancelled; data is its full final state, with status "cancelled".',
  example: {
    id: '016be1ec-7ae0-7977-a45f-0d451bfff1f1',
    occurredAt: '2019-07-11T16:45:00.000Z',
    subject: { operationCode: 'UNEARMARKED', entityId: '016bd1e3-4160-7f49-b0eb-98683e221414', version: 2 },
    data: {
      id: '016bd1e3-4160-7f49-b0eb-98683e221414',
      donor: { name: 'Kuwait', type: 'government' },
      date: '2019-07-08',
      status: 'cancelled',
    },
  },
});

// A re-earmarked contribution's updated/cancelled event goes to its new operation only (key and
// subject are the operation of its data). This one, written with it, tells the operation it
// left: same entity, same version, same full new state, keyed by the operation left behind.
export const contributionsContributionMoved = defineEvent<ContributionState>({
  type: EVENT_TYPES.contributionsContributionMoved,
  schemaVersion: 1,
  source: 'contributions',
  payload: ContributionState,
  summary:
    'A contribution is no longer earmarked for subject.operationCode (the key): data is its full new state, at the version of the updated or cancelled event published under its new operation.',
  example: {
    id: '016bdba5-bac0-7781-a2d9-88e4ba9e9191',
    occurredAt: '2019-07-10T11:30:00.000Z',
    subject: { operationCode: 'KAZ', entityId: '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3', version: 2 },
    data: {
      id: '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3',
      donor: { name: 'European Union', type: 'eu' },
      date: '2019-07-08',
      operationCode: 'KGZ',
      status: 'pledged',
    },
  },
});
