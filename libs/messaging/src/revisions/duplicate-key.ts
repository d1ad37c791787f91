/** MongoDB's (and FerretDB's) code for a write refused by a unique index. */
export const DUPLICATE_KEY = 11000;

interface WriteErrorLike {
  code?: number;
  index?: number;
}

/** The per-operation errors of a bulk write's failure (the driver gives one or an array). */
export function writeErrorsOf(error: unknown): WriteErrorLike[] {
  const { writeErrors } = (error ?? {}) as { writeErrors?: WriteErrorLike | WriteErrorLike[] };
  return Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
}

/** Whether a write failed because a unique key was taken, and for nothing else. */
export function isDuplicateKey(error: unknown): boolean {
  // A bulk write's own code is its first error's: the list says whether all were duplicates.
  const errors = writeErrorsOf(error);
  if (errors.length > 0) return errors.every((e) => e.code === DUPLICATE_KEY);
  return (error as { code?: number } | undefined)?.code === DUPLICATE_KEY;
}
