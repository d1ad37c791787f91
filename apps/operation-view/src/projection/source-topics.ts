import { TOPICS } from '@focus/contracts';

/** The domain topics a view is made of. */
export const SOURCE_TOPICS = [TOPICS.population, TOPICS.budget, TOPICS.narratives, TOPICS.contributions];

export function sourceTopics(prefix: string): string[] {
  return SOURCE_TOPICS.map((topic) => `${prefix}${topic}`);
}
