import { TOPICS } from '@focus/contracts';

/** The four topics the aggregator consumes. */
export const DOMAIN_TOPICS = [TOPICS.population, TOPICS.budget, TOPICS.narratives, TOPICS.contributions] as const;
