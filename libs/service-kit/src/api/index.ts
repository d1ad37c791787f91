/*
 * The HTTP bodies and queries of the public write API, declared once: the owning service
 * validates with them, and the gateway documents them in its OpenAPI document.
 */
export * from './budget.dto';
export * from './contributions.dto';
export * from './narratives.dto';
export * from './population.dto';
