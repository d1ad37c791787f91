/**
 * How much a catching-up projection applies per write: every batch rewrites each view it
 * touches once, so a few thousand events per batch cost a fraction of a few hundred. (A
 * consumer that is keeping up sees small batches anyway: a fetch returns what has arrived.)
 *
 * A fetch is what the aggregator holds while it applies it, so its size is also most of the
 * aggregator's memory beyond its heap: 4 MiB in all (one partition's worth, the broker fills
 * partitions in turn) kept it under 200 MB through projection and rebuild, where 8 MiB per
 * partition and 32 MiB per fetch reached 430 MB. It costs catching up 10-15% of its speed
 * (tools/bench/README.md).
 */
export const PROJECTION_BATCHES = { maxBatchSize: 5_000, maxBytesPerPartition: 4 * 1024 * 1024, maxBytesPerFetch: 4 * 1024 * 1024 } as const;
