/**
 * FerretDB 1.x applies an update by reading the document, then writing the whole of it back:
 * two updates of one document that overlap lose the first (seen: the relay clearing an
 * outbox erased a projection write made meanwhile). Writers in one process therefore take
 * turns per collection. This does not protect writers in different processes; MongoDB
 * itself needs none of it.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withWriteLock<T>(collection: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(collection) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(collection, tail);
  try {
    return await run;
  } finally {
    if (tails.get(collection) === tail) tails.delete(collection);
  }
}
