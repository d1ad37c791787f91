import { createEvent, EVENTS, EventEnvelope } from '@focus/contracts';
import { contributionsToLookUp, stateAsOf } from './as-of';
import { RevisionDocument, revisionOf } from './revision';

const ID = '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3';
const contribution = (operationCode: string, version: number, at: string): RevisionDocument =>
  revisionOf(
    createEvent(version === 1 ? EVENTS.contributionsContributionRecorded : EVENTS.contributionsContributionUpdated, {
      subject: { operationCode, entityId: ID, version },
      data: { id: ID, donor: { name: 'Norway', type: 'government' }, date: '2019-07-08', operationCode, status: 'paid' },
      occurredAt: new Date(at),
    }) as EventEnvelope,
  )!;

describe('as-of fold', () => {
  it('holds each entity at its newest revision up to the instant, wherever a contribution went', () => {
    const here = [contribution('OP-A', 1, '2020-01-01T00:00:00Z')];
    const elsewhere = [contribution('OP-B', 2, '2021-01-01T00:00:00Z')];
    expect(stateAsOf('OP-A', here, elsewhere, new Date('2020-06-01T00:00:00Z'))?.state.contributions[ID]).toMatchObject({
      v: 1,
      s: { operationCode: 'OP-A' },
    });
    const after = stateAsOf('OP-A', here, elsewhere, new Date('2021-06-01T00:00:00Z'));
    expect(after).toMatchObject({ version: 2, state: { contributions: { [ID]: { v: 2, s: { operationCode: 'OP-B' } } } } });
    expect(stateAsOf('OP-A', here, elsewhere, new Date('2019-06-01T00:00:00Z'))).toBeUndefined();
  });

  it('looks up a contribution elsewhere unless every version of it is here and the live view holds the last', () => {
    const here = [contribution('OP-A', 1, '2020-01-01T00:00:00Z'), contribution('OP-A', 2, '2020-02-01T00:00:00Z')];
    expect(contributionsToLookUp(here, new Map([[ID, 2]]))).toEqual([]);
    expect(contributionsToLookUp(here, new Map([[ID, 3]]))).toEqual([ID]); // moved on since
    expect(contributionsToLookUp([here[1]!], new Map([[ID, 2]]))).toEqual([ID]); // version 1 was elsewhere
    expect(contributionsToLookUp(here, new Map())).toEqual([ID]);
  });
});
