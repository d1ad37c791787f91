import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's request id when it is safe to log and forward, otherwise makes one.
 * It is also left on the raw request: Fastify's `request.id` (the log line's) and the Kafka
 * headers of the events a request causes are this one id.
 */
export function requestIdOf(raw: IncomingMessage): string {
  const existing = (raw as IncomingMessage & { id?: string }).id;
  if (existing) return existing;
  const header = raw.headers[REQUEST_ID_HEADER];
  const offered = Array.isArray(header) ? header[0] : header;
  const id = offered && SAFE_ID.test(offered) ? offered : randomUUID();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}

/** `@RequestId() requestId: string` in a controller: the id to carry into events. */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<{ raw: IncomingMessage }>();
  return requestIdOf(request.raw);
});
