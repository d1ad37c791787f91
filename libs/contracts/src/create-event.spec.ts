import { validate as isUuid, version as uuidVersion } from 'uuid';
import { createEvent, InvalidEventError } from './create-event';
import { decodeEvent } from './decode-event';
import { entityIds } from './domain/entity-ids';
import { EVENTS } from './events/event-definitions';
import { PopulationFigureState } from './payloads/population';

const figure: PopulationFigureState = {
  operationCode: 'KAZ',
  year: 2018,
  type: 'ASY',
  value: 195,
  source: { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' },
};
const subject = { operationCode: 'KAZ', entityId: entityIds.populationFigure('KAZ', 2018, 'ASY'), version: 1 };

function millisecondsOf(uuid: string): number {
  return parseInt(uuid.replace(/-/g, '').slice(0, 12), 16);
}

describe('createEvent', () => {
  it('builds the envelope from the definition, and consumers accept it', () => {
    const occurredAt = new Date('2019-07-01T08:00:00.000Z');
    const event = createEvent(EVENTS.populationFigureUpserted, { subject, data: figure, correlationId: 'req-1', occurredAt });
    expect(event).toEqual({
      id: expect.any(String),
      type: 'population.figure.upserted',
      schemaVersion: 1,
      occurredAt: '2019-07-01T08:00:00.000Z',
      source: 'population',
      subject,
      correlationId: 'req-1',
      data: figure,
    });
    expect(decodeEvent(JSON.stringify(event)).ok).toBe(true);
  });

  it('leaves correlationId out when there is none, and dates the event now by default', () => {
    const before = Date.now();
    const event = createEvent(EVENTS.populationFigureDeleted, { subject, data: null });
    expect('correlationId' in event).toBe(false);
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(event.occurredAt)).toBeLessThanOrEqual(Date.now());
  });

  it('gives each event a UUID v7 that carries its creation time', () => {
    const before = Date.now();
    const { id } = createEvent(EVENTS.populationFigureUpserted, { subject, data: figure });
    expect(isUuid(id) && uuidVersion(id)).toBe(7);
    expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisecondsOf(id)).toBeLessThanOrEqual(Date.now());
  });

  it('gives ids that sort in creation order, within one millisecond and across several', async () => {
    const ids: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 50; i++) ids.push(createEvent(EVENTS.populationFigureUpserted, { subject, data: figure }).id);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(millisecondsOf(ids[ids.length - 1])).toBeGreaterThan(millisecondsOf(ids[0]));
  });

  it('refuses to build an event its consumers would refuse', () => {
    const build = () => createEvent(EVENTS.populationFigureUpserted, { subject: { ...subject, operationCode: 'KGZ' }, data: figure });
    expect(build).toThrow(InvalidEventError);
    expect(build).toThrow(/subject\.operationCode/);
    expect(() => createEvent(EVENTS.populationFigureUpserted, { subject, data: { ...figure, value: -1 } })).toThrow(/data\.value/);
    expect(() => createEvent(EVENTS.populationFigureDeleted, { subject, data: null, occurredAt: new Date('not a date') })).toThrow(
      InvalidEventError,
    );
  });
});
