/**
 * FerretDB 1.x applies an update by reading the document, then writing the whole of it back:
 * two updates of one document that overlap lose the first (seen: the relay clearing an
 * outbox erased a projection write made meanwhile). Writers in one process therefore take
 * turns per document, or per collection where a writer rewrites documents it cannot name
 * beforehand. This does not protect writers in different processes; MongoDB itself needs
 * none of it.
 */
const tails = new Map<string, Promise<unknown>>();

/** Runs `work` once no earlier holder of `lock` (a collection's name, say) is running. */
export function withWriteLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  return withWriteLocks([lock], work);
}

/** Runs `work` once no earlier writer of any of these documents of `collection` is running. */
export function withDocumentLocks<T>(collection: string, ids: Iterable<string>, work: () => Promise<T>): Promise<T> {
  return withWriteLocks(Array.from(ids, (id) => `${collection}/${id}`), work);
}

/**
 * Runs `work` once no earlier holder of any of `locks` is running. All of them are taken at
 * once, in one synchronous step, so two writers that share several locks cannot wait for each
 * other in a cycle: each waits only for those that asked before it.
 */
async function withWriteLocks<T>(locks: Iterable<string>, work: () => Promise<T>): Promise<T> {
  const keys = [...new Set(locks)];
  const earlier = keys.map((key) => tails.get(key)).filter((tail): tail is Promise<unknown> => tail !== undefined);
  const run = (earlier.length === 0 ? Promise.resolve() : Promise.all(earlier)).then(work);
  const tail = run.catch(() => undefined);
  for (const key of keys) tails.set(key, tail);
  try {
    return await run;
  } finally {
    for (const key of keys) if (tails.get(key) === tail) tails.delete(key);
  }
}
