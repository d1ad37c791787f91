/**
 * How the page follows its operation's contributions: an event on the stream says that the
 * operation's list changed, and the view, read again, says how (the read model alone decides
 * which contributions are listed). The event can reach the page before the read model has
 * applied it, so the view is read until its version passes the one shown, for a while at most.
 * Each read is conditional (the gateway's ETag, through the browser's cache): a 304 costs it a
 * cache lookup.
 */
import type { OperationView } from './api';

/** Pauses before each read: the first at once, then longer, about 24 s in all. */
export const REREAD_DELAYS_MS: readonly number[] = [0, 250, 500, 1_000, 2_000, 4_000, 8_000, 8_000];

/** The view once newer than `shownVersion`; null when it did not change within the delays, or when aborted. */
export async function readNewerView(
  read: () => Promise<OperationView>,
  shownVersion: number,
  signal: AbortSignal,
  delaysMs: readonly number[] = REREAD_DELAYS_MS,
): Promise<OperationView | null> {
  for (const delay of delaysMs) {
    if (delay > 0) await pause(delay, signal);
    if (signal.aborted) return null;
    try {
      const view = await read();
      if (view.meta.version > shownVersion) return view;
    } catch {
      // A failed read is one more try spent; the list stays as shown until one succeeds.
    }
  }
  return null;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
