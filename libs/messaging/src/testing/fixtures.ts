import { createEvent, entityIds, EventEnvelope, eventDefinition, PopulationFigureState } from '@focus/contracts';

/** A population figure event as a service would emit it, for messaging tests. */
export function figureEvent(operationCode: string, year: number, value: number, version: number): EventEnvelope<PopulationFigureState> {
  const definition = eventDefinition('population.figure.upserted');
  if (!definition) throw new Error('population.figure.upserted is not in the contracts');
  const data = { operationCode, year, type: 'REF', value, source: { name: 'messaging test', asOf: '2019-06-30' } } as PopulationFigureState;
  return createEvent(definition as never, {
    subject: { operationCode, entityId: entityIds.populationFigure(operationCode, year, 'REF'), version },
    data,
  }) as EventEnvelope<PopulationFigureState>;
}
