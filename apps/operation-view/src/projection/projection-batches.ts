/**
 * How much a catching-up projection applies per write: every batch rewrites each view it
 * touches once, so a few thousand events per batch cost a fraction of a few hundred. (A
 * consumer that is keeping up sees small batches anyway: a fetch returns what has arrived.)
 */
export const PROJECTION_BATCHES = { maxBatchSize: 5_000, maxBytesPerPartition: 8 * 1024 * 1024 } as const;
