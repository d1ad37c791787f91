import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { OPERATION_CODE_PATTERN } from '@focus/contracts';
import { REQUEST_ID_HEADER, requestIdOf } from '@focus/service-kit';
import { RateLimiter } from '../limits/rate-limit';
import { hasBody } from '../request-body';
import { CachedAnswerCounts } from './cached-answers';
import { PreparedAnswer } from './prepared-answer';

/** What the front door needs of the gateway: its cache, access rule and rate-limit key, for one request. */
export interface FrontDoorSettings {
  /** The held answer for a view (`code` undefined: the list of operations), if any; access already checked. */
  lookup(request: IncomingMessage, code: string | undefined, year: string, lang: string): PreparedAnswer | undefined;
  /** Whose budget the request spends (as Fastify's hook keys it). */
  rateLimitKey(request: IncomingMessage): string;
  limiter: RateLimiter;
  counts: CachedAnswerCounts;
}

const LIST_PATH = '/api/v1/operations';
const VIEW_PREFIX = `${LIST_PATH}/`;
/** year and lang as the views route takes them, in the plainest spelling only: anything else is Fastify's to parse. */
const QUERY_PART = /^(year|lang)=([A-Za-z0-9]{1,8})$/;

/**
 * The cached reads' front door: the gateway's HTTP server hands each request here before
 * Fastify. A GET of a view or of the list of operations whose answer the cache holds is
 * answered at once, with what Fastify's path would add to it: the rate limit counted against
 * the same budget, with its headers; the request id; the cache's 200 or 304 headers. Nothing is
 * logged (a fast hit is routine: see markRoutine) and /metrics counts it.
 *
 * Why not in Fastify: a hit answered in its first onRequest hook still went through Fastify's
 * request and reply objects, its router, eleven hooks (Nest's adapter's among them) and onSend;
 * measured, that cost a 304 about 1.8 times a bare server's CPU (tools/bench/README.md, #27).
 *
 * Anything else goes to Fastify untouched, and so does anything unusual about a read: another
 * method, an Origin header (CORS is the plugin's), a query with other parameters, a repeated one
 * or an encoded character, a request without the read role, a miss, one over the rate limit
 * (Fastify's hook answers the 429), and a request body.
 */
export function openFrontDoor(server: Server, settings: FrontDoorSettings): void {
  const fastify = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
  if (fastify.length !== 1)
    throw new Error(`the gateway's server has ${fastify.length} request listeners; the front door expects Fastify's alone`);
  const [handle] = fastify;
  server.removeListener('request', handle);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!answer(request, response, settings)) handle(request, response);
  });
}

/** Whether the request was answered here. */
export function answer(request: IncomingMessage, response: ServerResponse, settings: FrontDoorSettings): boolean {
  if (request.method !== 'GET' || request.headers.origin !== undefined || hasBody(request)) return false;
  const read = readOf(request.url ?? '');
  if (read === undefined) return false;
  const held = settings.lookup(request, read.code, read.year, read.lang);
  if (held === undefined) return false;
  const standing = settings.limiter.countIfAllowed(settings.rateLimitKey(request));
  if (standing === undefined) return false;
  // One writeHead with every header: Node checks each name and value once (setHeader first, then
  // writeHead, would check the cache's headers twice and keep a header map per answer).
  const extra = [
    'ratelimit-limit',
    settings.limiter.limitHeader,
    'ratelimit-remaining',
    String(standing.remaining),
    'ratelimit-reset',
    String(standing.resetSeconds),
    REQUEST_ID_HEADER,
    requestIdOf(request),
  ];
  if (held.write(response, request.headers['if-none-match'], extra) === 304) settings.counts.notModified++;
  else settings.counts.ok++;
  return true;
}

/** A view (its code, year and lang) or the list (code undefined) the front door may answer. */
interface Read {
  code: string | undefined;
  year: string;
  lang: string;
}

/**
 * URLs read before, and what they asked for (null: not the front door's). Portals ask for the
 * same few URLs over and over, so each is parsed once; a client sending endless new ones only
 * makes the memo start over.
 */
const readsByUrl = new Map<string, Read | null>();
const MEMO_SIZE = 1024;

function readOf(url: string): Read | undefined {
  let read = readsByUrl.get(url);
  if (read === undefined) {
    if (readsByUrl.size >= MEMO_SIZE) readsByUrl.clear();
    read = parse(url);
    readsByUrl.set(url, read);
  }
  return read ?? undefined;
}

function parse(url: string): Read | null {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  let code: string | undefined;
  if (path !== LIST_PATH) {
    if (!path.startsWith(VIEW_PREFIX)) return null;
    code = path.slice(VIEW_PREFIX.length);
    if (!OPERATION_CODE_PATTERN.test(code)) return null;
  }
  let year = '';
  let lang = '';
  if (at >= 0 && at < url.length - 1) {
    if (code === undefined) return null;
    for (const part of url.slice(at + 1).split('&')) {
      const match = QUERY_PART.exec(part);
      if (!match) return null;
      if (match[1] === 'year') {
        if (year) return null;
        year = match[2];
      } else {
        if (lang) return null;
        lang = match[2];
      }
    }
  }
  return { code, year, lang };
}
