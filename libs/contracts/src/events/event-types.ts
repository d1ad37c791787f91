/** Every event type, named by its camelCase. Types are never renamed: a new name is a new type. */
export const EVENT_TYPES = {
  populationFigureUpserted: 'population.figure.upserted',
  populationFigureDeleted: 'population.figure.deleted',
  populationTotalUpserted: 'population.total.upserted',
  populationTotalDeleted: 'population.total.deleted',
  budgetLineUpserted: 'budget.line.upserted',
  budgetLineDeleted: 'budget.line.deleted',
  narrativesProfileUpserted: 'narratives.profile.upserted',
  narrativesProfileDeleted: 'narratives.profile.deleted',
  narrativesKeyFiguresUpserted: 'narratives.key-figures.upserted',
  narrativesKeyFiguresDeleted: 'narratives.key-figures.deleted',
  narrativesSectionUpserted: 'narratives.section.upserted',
  narrativesSectionDeleted: 'narratives.section.deleted',
  contributionsContributionRecorded: 'contributions.contribution.recorded',
  contributionsContributionUpdated: 'contributions.contribution.updated',
  contributionsContributionCancelled: 'contributions.contribution.cancelled',
  contributionsContributionMoved: 'contributions.contribution.moved',
  operationViewUpdated: 'operation-view.updated',
} as const;

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];
