/**
 * How much a catching-up projection applies per write: every batch writes each view it
 * touches once, so a few thousand events per batch cost a fraction of a few hundred. (A
 * consumer that is keeping up sees small batches anyway: a fetch returns what has arrived.)
 *
 * A fetch is what the aggregator holds while it applies it, so its size is also part of the
 * aggregator's memory beyond its heap: 4 MiB in all (one partition's worth, the broker fills
 * partitions in turn). Larger fetches raised the peak a lot, smaller ones slowed catching up
 * and lowered no peak (the runs are in tools/bench/README.md).
 */
export const PROJECTION_BATCHES = {
  maxBatchSize: 5_000,
  maxBytesPerPartition: 4 * 1024 * 1024,
  maxBytesPerFetch: 4 * 1024 * 1024,
} as const;
