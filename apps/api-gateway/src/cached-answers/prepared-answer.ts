import type { FastifyReply } from 'fastify';

/**
 * A cached answer ready to send as it is: its bytes, and the headers of its 200 and of its 304,
 * built once when it is stored instead of on every read. A view, the list of operations, and
 * any other answer the gateway caches and revalidates by ETag (a data API list, a CSV export)
 * is one of these.
 */
export class PreparedAnswer {
  private readonly headers200: Record<string, string>;
  private readonly headers304: Record<string, string>;

  constructor(
    readonly etag: string,
    readonly body: Buffer,
    readonly contentType: string,
    cacheControl: string,
  ) {
    this.headers304 = { etag, 'cache-control': cacheControl };
    this.headers200 = { ...this.headers304, 'content-type': contentType, 'content-length': String(body.length) };
  }

  /** 304 when If-None-Match names its ETag, else its bytes. Returns the status sent. */
  send(reply: FastifyReply, ifNoneMatch: string | string[] | undefined): 200 | 304 {
    if (matchesIfNoneMatch(ifNoneMatch, this.etag)) {
      reply.code(304).headers(this.headers304).send();
      return 304;
    }
    reply.code(200).headers(this.headers200).send(this.body);
    return 200;
  }
}

/** Whether an If-None-Match header names `etag` (weak comparison, lists and `*` included). */
export function matchesIfNoneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  // What a client nearly always sends: the ETag it was given, as it was given.
  if (header === etag) return true;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return value.split(',').some((tag) => bare(tag) === bare(etag));
}
