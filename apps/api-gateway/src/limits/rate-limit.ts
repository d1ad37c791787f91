import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOperationalPath, ProblemException, PROBLEM_TYPES } from '@focus/service-kit';

export interface RateLimitSettings {
  max: number;
  windowMs: number;
  /** How many keys are remembered at most: past it, the one whose window began first is forgotten. */
  maxKeys?: number;
  now?: () => number;
}

/** Where a key stands after a request was counted: what the `ratelimit-*` headers say. */
export interface RateLimitStanding {
  allowed: boolean;
  remaining: number;
  resetSeconds: number;
}

interface Window {
  startedAt: number;
  count: number;
}

/**
 * Requests per key in a fixed window that starts with the key's first request, as
 * @fastify/rate-limit's local store counted them. One limiter serves both ways in: Fastify's
 * hook (limitRate) and the cached reads' front door (front-door.ts), so a key has one budget.
 */
export class RateLimiter {
  readonly max: number;
  readonly limitHeader: string;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  // Ordered by when each window began (a new window moves its key last), so the first is the stalest.
  private readonly windows = new Map<string, Window>();

  constructor(settings: RateLimitSettings) {
    this.max = settings.max;
    this.limitHeader = String(settings.max);
    this.windowMs = settings.windowMs;
    this.maxKeys = settings.maxKeys ?? 5_000;
    this.now = settings.now ?? Date.now;
  }

  /** Counts a request against `key`. */
  count(key: string): RateLimitStanding {
    return this.take(key, true) as RateLimitStanding;
  }

  /** Counts it only when it is within the limit; undefined (nothing counted) when it is not. */
  countIfAllowed(key: string): RateLimitStanding | undefined {
    return this.take(key, false);
  }

  private take(key: string, overLimitToo: boolean): RateLimitStanding | undefined {
    const at = this.now();
    let window = this.windows.get(key);
    if (window === undefined || at - window.startedAt >= this.windowMs) {
      window = { startedAt: at, count: 0 };
      this.windows.delete(key);
      this.windows.set(key, window);
      if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
    }
    const allowed = window.count < this.max;
    if (!allowed && !overLimitToo) return undefined;
    window.count++;
    return {
      allowed,
      remaining: Math.max(0, this.max - window.count),
      resetSeconds: Math.ceil((this.windowMs - (at - window.startedAt)) / 1000),
    };
  }
}

/**
 * The limit on every request through Fastify, in an onRequest hook, with @fastify/rate-limit's
 * draft-spec headers on every answer (`ratelimit-limit`, `-remaining`, `-reset`) and
 * `retry-after` on a 429 (problem+json). Health and metrics are not counted.
 *
 * Not the plugin itself: its hook is an async function awaiting the key, the allow list and a
 * promise around its store, four promises per request, on the path of every cached read. Here
 * it is one callback hook and one Map lookup.
 */
export function limitRate(fastify: FastifyInstance, limiter: RateLimiter, keyOf: (request: FastifyRequest) => string): void {
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if (isOperationalPath(request.url)) {
      done();
      return;
    }
    const { allowed, remaining, resetSeconds } = limiter.count(keyOf(request));
    reply.header('ratelimit-limit', limiter.limitHeader).header('ratelimit-remaining', remaining).header('ratelimit-reset', resetSeconds);
    if (allowed) {
      done();
      return;
    }
    reply.header('retry-after', resetSeconds);
    done(
      new ProblemException({
        type: PROBLEM_TYPES.rateLimited,
        title: 'Too many requests',
        status: 429,
        detail: `More than ${limiter.max} requests in the window; retry in ${resetSeconds} s.`,
      }),
    );
  });
}
