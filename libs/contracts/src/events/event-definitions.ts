import { EventDefinition } from '../envelope/event-definition';
import { budgetLineDeleted, budgetLineUpserted } from './budget-events';
import {
  contributionsContributionCancelled,
  contributionsContributionMoved,
  contributionsContributionRecorded,
  contributionsContributionUpdated,
} from './contributions-events';
import { EVENT_TYPES } from './event-types';
import {
  narrativesKeyFiguresDeleted,
  narrativesKeyFiguresUpserted,
  narrativesProfileDeleted,
  narrativesProfileUpserted,
  narrativesSectionDeleted,
  narrativesSectionUpserted,
} from './narratives-events';
import { operationViewUpdated } from './operation-view-events';
import { populationFigureDeleted, populationFigureUpserted, populationTotalDeleted, populationTotalUpserted } from './population-events';

/**
 * Every event contract, typed, under the same names as EVENT_TYPES:
 * `createEvent(EVENTS.populationFigureUpserted, …)` checks `data` at compile time.
 */
export const EVENTS = {
  populationFigureUpserted,
  populationFigureDeleted,
  populationTotalUpserted,
  populationTotalDeleted,
  budgetLineUpserted,
  budgetLineDeleted,
  narrativesProfileUpserted,
  narrativesProfileDeleted,
  narrativesKeyFiguresUpserted,
  narrativesKeyFiguresDeleted,
  narrativesSectionUpserted,
  narrativesSectionDeleted,
  contributionsContributionRecorded,
  contributionsContributionUpdated,
  contributionsContributionCancelled,
  contributionsContributionMoved,
  operationViewUpdated,
} as const satisfies Record<keyof typeof EVENT_TYPES, EventDefinition>;

/**
 * A breaking change adds a definition with the next schemaVersion beside the old one, and
 * producers publish both until every consumer has moved.
 */
export const EVENT_DEFINITIONS: readonly EventDefinition[] = Object.freeze(Object.values(EVENTS));

const byTypeAndVersion = new Map(EVENT_DEFINITIONS.map((definition) => [keyOf(definition.type, definition.schemaVersion), definition]));

function keyOf(type: string, schemaVersion: number): string {
  return `${type}@${schemaVersion}`;
}

export function eventDefinition(type: string, schemaVersion = 1): EventDefinition | undefined {
  return byTypeAndVersion.get(keyOf(type, schemaVersion));
}
