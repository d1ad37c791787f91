import type { FastifyReply } from 'fastify';
import { GatewayConfig } from '../config';
import type { ReadResult } from './views.service';

/** Cache-Control of every view answer: how long a portal or CDN may reuse it unasked. */
export function viewCacheControl(config: GatewayConfig): string {
  return config.VIEW_MAX_AGE_SECONDS > 0 ? `public, max-age=${config.VIEW_MAX_AGE_SECONDS}` : 'public, no-cache';
}

/** A read as the gateway answers it: the cached answer (304 when If-None-Match names it), or the aggregator's error. */
export function sendRead(reply: FastifyReply, result: ReadResult, ifNoneMatch: string | undefined): void {
  if (result.ok) {
    result.view.send(reply, ifNoneMatch);
    return;
  }
  // The aggregator's own answer (404 problem+json for an unknown operation, 400 naming a parameter), unchanged.
  const { statusCode, headers, body } = result.response;
  for (const name of ['content-type', 'retry-after']) {
    const value = headers[name];
    if (typeof value === 'string') reply.header(name, value);
  }
  reply.status(statusCode).send(body);
}
