import { hostname } from 'node:os';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DestinationStream, Logger, pino, stdSerializers } from 'pino';
import { AppConfig } from '../config/service-config';
import { isOperationalPath } from '../health/health.controller';

/** The app's one pino logger: Nest's logs and request lines both go through it. */
export function createAppLogger(config: AppConfig, serviceName: string, destination?: DestinationStream): Logger {
  const options = {
    level: config.LOG_LEVEL,
    base: { pid: process.pid, hostname: hostname(), service: serviceName },
    serializers: { err: stdSerializers.err },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** How long a routine request (markRoutine) may take before its line is written anyway. */
export const ROUTINE_SLOW_MS = 250;

const ROUTINE = Symbol('routine request');

/**
 * Marks a request as routine: a cached read, say, answered thousands of times a second with the
 * same bytes. Its line is written only when it fails (4xx, 5xx) or takes ROUTINE_SLOW_MS or
 * more; the app counts the rest in /metrics. Identical lines by the thousand tell an operator
 * nothing a counter does not, and each costs a JSON serialization and a write.
 */
export function markRoutine(request: FastifyRequest): void {
  (request as FastifyRequest & { [ROUTINE]?: boolean })[ROUTINE] = true;
}

/**
 * One line per request (health, metrics and fast routine requests aside), written from Fastify's hooks: `request
 * completed`, `request errored` at error level for a 5xx, or `request aborted` at warn level
 * when the client left before its answer (a timeout upstream, a closed tab).
 *
 * Not nestjs-pino's middleware: that ran pino-http (a child logger and its bindings) and an
 * AsyncLocalStorage scope on every request through Nest's middleware layer, whether a line was
 * written or not; on a cached read through the gateway it was a third of the request's cost.
 * Here nothing is built unless the line's level is enabled. Log lines written while a request
 * runs do not carry its id by themselves: where one matters (a 5xx), it is logged with it.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  // Callback hooks, not async ones: they run on every request, and a promise each costs.
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const failed = reply.statusCode >= 500;
    if ((request as FastifyRequest & { [ROUTINE]?: boolean })[ROUTINE] && reply.statusCode < 400 && reply.elapsedTime < ROUTINE_SLOW_MS) {
      done();
      return;
    }
    if (logger.isLevelEnabled(failed ? 'error' : 'info') && !isOperationalPath(request.url)) {
      const line = { req: requestFields(request), res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime) };
      if (failed) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request: FastifyRequest, done: () => void) => {
    if (logger.isLevelEnabled('warn') && !isOperationalPath(request.url)) logger.warn({ req: requestFields(request) }, 'request aborted');
    done();
  });
}

function requestFields(request: FastifyRequest) {
  return { id: request.id, method: request.method, url: request.url, remoteAddress: request.socket.remoteAddress };
}
