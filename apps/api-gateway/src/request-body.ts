import type { IncomingHttpHeaders } from 'node:http';

/** Whether a request carries a body (HTTP/1.1: a length, or a chunked transfer). */
export function hasBody(request: { headers: IncomingHttpHeaders }): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}
