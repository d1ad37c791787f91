import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * A cached answer ready to send as it is: its bytes, and the headers of its 200 and of its 304,
 * built once when it is stored instead of on every read. A view, the list of operations, and
 * any other answer the gateway caches and revalidates by ETag (a data API list, a CSV page)
 * is one of these.
 *
 * Without a body it holds only its validator: a CSV export streamed from the aggregator, too
 * large to hold, whose ETag still lets a client that has it be answered 304 here.
 */
export class PreparedAnswer {
  private readonly headers200: Record<string, string>;
  private readonly headers304: Record<string, string>;
  /** The same as [name, value, name, value, …], for writeHead with headers of the request's own. */
  private readonly pairs200: string[];
  private readonly pairs304: string[];

  /** `headers`: others that describe the answer (Link, Next-Cursor), sent with its 200. */
  constructor(
    readonly etag: string,
    readonly body: Buffer | undefined,
    readonly contentType: string,
    cacheControl: string,
    headers: Record<string, string> = {},
  ) {
    this.headers304 = { etag, 'cache-control': cacheControl };
    this.headers200 = { ...headers, ...this.headers304, 'content-type': contentType, 'content-length': String(body?.length ?? 0) };
    this.pairs200 = Object.entries(this.headers200).flat();
    this.pairs304 = Object.entries(this.headers304).flat();
  }

  /** Whether it can answer a request with this If-None-Match: always with its bytes; with its validator alone, only by a 304. */
  answers(ifNoneMatch: string | string[] | undefined): boolean {
    return this.body !== undefined || matchesIfNoneMatch(ifNoneMatch, this.etag);
  }

  /** 304 when If-None-Match names its ETag, else its bytes (when answers() said it can). Returns the status sent. */
  send(reply: FastifyReply, ifNoneMatch: string | string[] | undefined): 200 | 304 {
    if (matchesIfNoneMatch(ifNoneMatch, this.etag)) {
      reply.code(304).headers(this.headers304).send();
      return 304;
    }
    reply.code(200).headers(this.headers200).send(this.body);
    return 200;
  }

  /**
   * The same on Node's own response (the front door), with the request's own headers
   * (`[name, value, …]`) sent beside these; nothing may have been set on `response` before.
   */
  write(response: ServerResponse, ifNoneMatch: string | string[] | undefined, own: readonly string[]): 200 | 304 {
    if (matchesIfNoneMatch(ifNoneMatch, this.etag)) {
      response.writeHead(304, this.pairs304.concat(own)).end();
      return 304;
    }
    response.writeHead(200, this.pairs200.concat(own)).end(this.body);
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
