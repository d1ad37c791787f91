import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { markRoutine } from '@focus/service-kit';
import { PreparedAnswer } from './prepared-answer';

/** A route whose GETs may be answered from a cache: `lookup` gives the answer, or undefined to let the route's handler answer. */
export interface CachedRoute {
  /** The route as Fastify names it (`/api/v1/operations/:code`). */
  url: string;
  lookup(request: FastifyRequest): PreparedAnswer | undefined;
}

/** Answers given from a cache, by status: what /metrics reports of them (they write no log line). */
export class CachedAnswerCounts {
  ok = 0;
  notModified = 0;
}

/**
 * Answers cached GETs in an onRequest hook, installed after the rate limit's and CORS's (so a
 * cached answer is counted against its key and carries their headers) and before the rest of
 * Fastify's and Nest's pipeline (body parsing, guards, pipes, parameter decorators, the
 * handler's promise), which on a hit is most of a read's cost. The request id, set when the
 * request was created, is added by the onSend hook like on every answer.
 *
 * A hit is a routine request (markRoutine): its log line is written only if it is slow, as
 * every error is; /metrics counts the rest. A cache answering thousands of reads a second would
 * otherwise write thousands of identical lines, each a JSON serialization and a write to stdout.
 *
 * Anything `lookup` declines falls through to the route's handler unchanged: a miss, a query
 * it would refuse, a request without access. (Views and the list are mostly answered before
 * Fastify, at the front door: front-door.ts. This hook answers the data API's lists, and the
 * reads the front door passes on.)
 */
export function answerFromCache(
  fastify: FastifyInstance,
  routes: readonly CachedRoute[],
  counts = new CachedAnswerCounts(),
): CachedAnswerCounts {
  const byUrl = new Map(routes.map((route) => [route.url, route]));
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = request.method === 'GET' ? byUrl.get(request.routeOptions.url ?? '') : undefined;
    const answer = route?.lookup(request);
    if (answer === undefined) {
      done();
      return;
    }
    markRoutine(request);
    if (answer.send(reply, request.headers['if-none-match']) === 304) counts.notModified++;
    else counts.ok++;
  });
  return counts;
}
