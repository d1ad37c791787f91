/**
 * Turns for writers inside one process. Not what keeps writes correct: that is RevisionLog's
 * insert under a unique index, which holds between processes too. What a lock still does is
 * save work (an owner's writers of one entity, who would otherwise race for each version) or
 * keep one process's steps in order (the aggregator's batch against its own generation swap).
 */
const tails = new Map<string, Promise<unknown>>();

/** Runs `work` once no earlier holder of `lock` (a collection's name, say) is running. */
export function withWriteLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  return withWriteLocks([lock], work);
}

/** Runs `work` once no earlier writer of any of these documents of `collection` is running. */
export function withDocumentLocks<T>(collection: string, ids: Iterable<string>, work: () => Promise<T>): Promise<T> {
  return withWriteLocks(
    Array.from(ids, (id) => `${collection}/${id}`),
    work,
  );
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
