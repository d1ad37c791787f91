/*
 * The HTTP bodies and queries of the public write API, declared once beside the events they
 * become: the owning service validates with them, and the gateway documents them in its
 * OpenAPI document. Contract, not framework: class-validator rules only.
 */
export * from './budget.dto';
export * from './contributions.dto';
export * from './narratives.dto';
export * from './page-query.dto';
export * from './population.dto';
