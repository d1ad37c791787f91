import type { FastifyReply } from 'fastify';
import { GatewayConfig } from '../config';
import { CachedView, matchesIfNoneMatch } from './view-cache';

/** Cache-Control of every view answer: how long a portal or CDN may reuse it unasked. */
export function viewCacheControl(config: GatewayConfig): string {
  return config.VIEW_MAX_AGE_SECONDS > 0 ? `public, max-age=${config.VIEW_MAX_AGE_SECONDS}` : 'public, no-cache';
}

/** A view as the gateway answers it: 304 when If-None-Match names its ETag, else its bytes. */
export function sendView(reply: FastifyReply, view: CachedView, ifNoneMatch: string | string[] | undefined, cacheControl: string): void {
  reply.header('etag', view.etag).header('cache-control', cacheControl);
  if (matchesIfNoneMatch(ifNoneMatch, view.etag)) {
    reply.status(304).send();
    return;
  }
  reply.status(200).header('content-type', view.contentType).send(view.body);
}
