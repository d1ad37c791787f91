/** One topic per owner service; the key of every message is the subject's operation code. */
export const TOPICS = {
  population: 'population.events',
  budget: 'budget.events',
  narratives: 'narratives.events',
  contributions: 'contributions.events',
  operationView: 'operation-view.events',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Where a consumer parks the messages of `topic` it cannot process, so they never block it. */
export function dlqTopicOf(topic: string): string {
  return `${topic}.dlq`;
}
