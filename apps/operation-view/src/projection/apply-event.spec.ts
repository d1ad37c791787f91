import { createEvent, entityIds, EVENTS, PopulationFigureState } from '@focus/contracts';
import { applyEvent } from './apply-event';
import { emptyState } from './operation-state';

const figure = (value: number, version: number) =>
  createEvent(EVENTS.populationFigureUpserted, {
    subject: { operationCode: 'KAZ-RO', entityId: entityIds.populationFigure('KAZ-RO', 2018, 'REF'), version },
    data: {
      operationCode: 'KAZ-RO',
      year: 2018,
      type: 'REF',
      value,
      source: { name: 'test', asOf: '2018-12-31' },
    } as PopulationFigureState,
  });
const deleted = (version: number) =>
  createEvent(EVENTS.populationFigureDeleted, {
    subject: { operationCode: 'KAZ-RO', entityId: entityIds.populationFigure('KAZ-RO', 2018, 'REF'), version },
    data: null,
  });

describe('applying events to an operation state', () => {
  it('any order and any number of deliveries end in the state of one in-order delivery', () => {
    const inOrder = emptyState();
    const events = [figure(1, 1), figure(2, 2), deleted(3)];
    events.forEach((e) => applyEvent(inOrder, e));

    const messy = emptyState();
    const applied = [events[2], events[0], events[1], events[2], events[0]].map((e) => applyEvent(messy, e));
    expect(messy).toEqual(inOrder);
    expect(applied).toEqual([true, false, false, false, false]);
  });

  it('keeps a deletion as a tombstone, so a late older upsert cannot resurrect it', () => {
    const state = emptyState();
    applyEvent(state, deleted(3));
    expect(applyEvent(state, figure(9, 2))).toBe(false);
    expect(state.figures['KAZ-RO:2018:REF']).toEqual({ v: 3, s: null });
  });
});
