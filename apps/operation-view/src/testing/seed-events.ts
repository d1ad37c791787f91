import { createEvent, EVENTS, EventDefinition, EventEnvelope } from '@focus/contracts';
import { OperationState, Projected } from '../projection/operation-state';

/** The events the owner services would publish for a projected state, one per entity. */
export function seedEventsFor(state: OperationState, code: string): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  const add = <S>(definition: EventDefinition<S>, entries: Record<string, Projected<S>>) => {
    for (const [entityId, { v, s }] of Object.entries(entries))
      events.push(createEvent(definition, { subject: { operationCode: code, entityId, version: v }, data: s }));
  };
  if (state.profile) add(EVENTS.narrativesProfileUpserted, { [code]: state.profile });
  add(EVENTS.populationFigureUpserted, state.figures);
  add(EVENTS.populationTotalUpserted, state.totals);
  add(EVENTS.budgetLineUpserted, state.budget);
  add(EVENTS.narrativesKeyFiguresUpserted, state.keyFigures);
  add(EVENTS.narrativesSectionUpserted, state.sections);
  return events;
}
