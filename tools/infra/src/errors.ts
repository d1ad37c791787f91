/**
 * A failure whose message already says what went wrong and what to do about it.
 * The CLI prints these without a stack trace; anything else is a bug and keeps its stack.
 */
export class InfraError extends Error {
  override name = 'InfraError';
}

/** Progress output: one line per call. The CLI prints to stdout; tests can pass their own. */
export type Log = (line: string) => void;

/** Prefixes every line, so that the two services' output stays readable when interleaved. */
export function prefixed(log: Log, prefix: string): Log {
  return (line) => {
    for (const part of line.split('\n')) log(`${prefix}: ${part}`);
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
