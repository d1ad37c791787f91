import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { WriteOptions } from '../persistence/versioned-repository';
import { parseIfMatch } from './etag';
import { requestIdOf } from './request-id';

/**
 * `@RequestWriteOptions() options: WriteOptions` in a write handler: the request's `If-Match`
 * (400 problem+json when it is no ETag this API issued) and its id, to carry into the event.
 */
export const RequestWriteOptions = createParamDecorator((_data: unknown, context: ExecutionContext): WriteOptions => {
  const request = context.switchToHttp().getRequest<{ raw: IncomingMessage; headers: IncomingMessage['headers'] }>();
  return { ifMatch: parseIfMatch(request.headers['if-match']), correlationId: requestIdOf(request.raw) };
});
