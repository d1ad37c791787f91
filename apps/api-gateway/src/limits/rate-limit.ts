import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOperationalPath, ProblemException, PROBLEM_TYPES } from '@focus/service-kit';

export interface RateLimitSettings {
  max: number;
  windowMs: number;
  /** Whose budget a request spends (an API key's, or an address's). */
  keyOf(request: FastifyRequest): string;
  /** How many keys are remembered at most: past it, the one whose window began first is forgotten. */
  maxKeys?: number;
  now?: () => number;
}

interface Window {
  startedAt: number;
  count: number;
}

/**
 * Requests per key in a fixed window that starts with the key's first request, as
 * @fastify/rate-limit's local store counted them, with its draft-spec headers on every answer
 * (`ratelimit-limit`, `-remaining`, `-reset`) and `retry-after` on a 429 (problem+json).
 *
 * Not the plugin itself: its hook is an async function awaiting the key, the allow list and a
 * promise around its store, four promises per request, on the path of every cached read. Here
 * it is one callback hook and one Map lookup. Health and metrics are not counted.
 */
export function limitRate(fastify: FastifyInstance, settings: RateLimitSettings): void {
  const { max, windowMs, keyOf } = settings;
  const maxKeys = settings.maxKeys ?? 5_000;
  const now = settings.now ?? Date.now;
  const limit = String(max);
  // Ordered by when each window began (a new window moves its key last), so the first is the stalest.
  const windows = new Map<string, Window>();
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if (isOperationalPath(request.url)) {
      done();
      return;
    }
    const key = keyOf(request);
    const at = now();
    let window = windows.get(key);
    if (window === undefined || at - window.startedAt >= windowMs) {
      window = { startedAt: at, count: 0 };
      windows.delete(key);
      windows.set(key, window);
      if (windows.size > maxKeys) windows.delete(windows.keys().next().value as string);
    }
    window.count++;
    const resetSeconds = Math.ceil((windowMs - (at - window.startedAt)) / 1000);
    reply
      .header('ratelimit-limit', limit)
      .header('ratelimit-remaining', Math.max(0, max - window.count))
      .header('ratelimit-reset', resetSeconds);
    if (window.count <= max) {
      done();
      return;
    }
    reply.header('retry-after', resetSeconds);
    done(
      new ProblemException({
        type: PROBLEM_TYPES.rateLimited,
        title: 'Too many requests',
        status: 429,
        detail: `More than ${max} requests in the window; retry in ${resetSeconds} s.`,
      }),
    );
  });
}
