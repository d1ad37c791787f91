import type { FastifyReply } from 'fastify';
import { WriteResult } from '../persistence/versioned-repository';
import { etagOf } from './etag';

/**
 * The HTTP face of a write: 201 when it created the entity, 200 when it updated it or found
 * it unchanged (a retried PUT), 204 for a deletion; the new version as ETag either way.
 */
export function writeResponse<S>(
  reply: FastifyReply,
  result: WriteResult<S>,
): { state: S | null; version: number; status: string } | undefined {
  reply.header('etag', etagOf(result.version));
  if (result.status === 'deleted') {
    reply.status(204);
    return undefined;
  }
  reply.status(result.status === 'created' ? 201 : 200);
  return { state: result.state, version: result.version, status: result.status };
}
