import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stdSerializers } from 'pino';
import type { Options } from 'pino-http';
import { AppConfig } from '../config/service-config';
import { requestIdOf } from './request-id';

/**
 * pino-http's settings for every app: one line per request (health and metrics aside), and a
 * request logger that carries the request id into every log line written while it runs.
 *
 * pino-http binds `req` to a child logger per request whether its line is written or not, so
 * what `req` holds is paid on every request: the id, method, URL and client address, never the
 * headers (which also keeps keys, cookies and authorizations out of the logs). Serializers are
 * given whole (not wrapped around pino's), so nothing else is built per request either. The service
 * name is a base binding, made once, instead of a child per request.
 */
export function requestLogging(config: AppConfig, serviceName: string): Options {
  return {
    level: config.LOG_LEVEL,
    base: { pid: process.pid, hostname: hostname(), service: serviceName },
    genReqId: (req) => requestIdOf(req),
    autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(pathOf(req)) },
    wrapSerializers: false,
    serializers: { req: requestSummary, res: responseSummary, err: stdSerializers.err },
  };
}

/** Behind Nest's middleware, `url` is relative to the route it is mounted on (`/` for `/health/ready`). */
function pathOf(req: IncomingMessage & { originalUrl?: string }): string {
  return req.originalUrl ?? req.url ?? '';
}

function requestSummary(req: IncomingMessage & { id?: string }) {
  return { id: req.id, method: req.method, url: pathOf(req), remoteAddress: req.socket?.remoteAddress };
}

function responseSummary(res: ServerResponse) {
  return { statusCode: res.statusCode };
}
