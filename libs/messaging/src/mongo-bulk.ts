import type { AnyBulkWriteOperation, BulkWriteOptions, Collection, Document } from 'mongodb';

/**
 * FerretDB 1.x (SQLite) keeps a pooled connection open for every statement of one write
 * command until the command ends; a bulk write of more than ~100 statements exhausts its
 * pool and hangs for good. Chunks keep every command well below that, on MongoDB too.
 * On PostgreSQL the pool is 50 connections, shared by every client: 50 updates that each
 * find their document (not inserts) in one command, plus a few reads, hung it for good.
 */
export const MAX_STATEMENTS_PER_COMMAND = 50;
/** For commands of updates, on FerretDB's PostgreSQL backend: see above. */
export const MAX_UPDATES_PER_COMMAND = 10;

export interface ChunkedBulkResult {
  matchedCount: number;
  insertedCount: number;
  upsertedCount: number;
  modifiedCount: number;
}

/** bulkWrite in chunks, one after another, so `ordered` keeps its meaning across them. */
export async function bulkWriteInChunks<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
  options: BulkWriteOptions = { ordered: true },
  chunkSize = MAX_STATEMENTS_PER_COMMAND,
): Promise<ChunkedBulkResult> {
  const total: ChunkedBulkResult = { matchedCount: 0, insertedCount: 0, upsertedCount: 0, modifiedCount: 0 };
  for (let start = 0; start < operations.length; start += chunkSize) {
    const result = await collection.bulkWrite(operations.slice(start, start + chunkSize), options);
    total.matchedCount += result.matchedCount;
    total.insertedCount += result.insertedCount;
    total.upsertedCount += result.upsertedCount;
    total.modifiedCount += result.modifiedCount;
  }
  return total;
}
