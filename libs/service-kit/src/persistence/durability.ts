import type { ReadConcernLevel, W } from 'mongodb';

/**
 * Read and write concerns that keep acknowledged writes through a replica set's failover,
 * unless MONGO_URL sets its own (`w`, `journal`, `readConcernLevel` in its query win).
 *
 * - `w: 'majority'` with `journal: true`: a write (the entity and its outbox entry, one
 *   document) is acknowledged only once most members have it on disk, so no newly elected
 *   primary can roll back a write the client was told about.
 * - `readConcern: 'majority'`: reads see only majority-committed data, so the outbox relay
 *   never publishes an event for a write that a failover later rolls back, and a view or a
 *   version check never builds on one.
 *
 * On a standalone server or FerretDB these cost nothing: both accept them, and a majority of
 * one is that one.
 */
export function durableConnectionOptions(mongoUrl: string): {
  writeConcern?: { w: W; journal: boolean };
  readConcern?: { level: ReadConcernLevel };
} {
  const query = mongoUrl.includes('?') ? mongoUrl.slice(mongoUrl.indexOf('?') + 1) : '';
  // The driver reads option names without regard to case.
  const set = new Set([...new URLSearchParams(query).keys()].map((key) => key.toLowerCase()));
  const writeSet = ['w', 'journal', 'j', 'wtimeoutms'].some((key) => set.has(key));
  return {
    ...(writeSet ? {} : { writeConcern: { w: 'majority', journal: true } }),
    ...(set.has('readconcernlevel') ? {} : { readConcern: { level: 'majority' } }),
  };
}
