import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable, Transform } from 'node:stream';
import { Dispatcher, Pool } from 'undici';
import { InjectConfig, ProblemException, PROBLEM_TYPES, REQUEST_ID_HEADER } from '@focus/service-kit';
import { GatewayConfig, upstreamUrls } from '../config';
import { Failure, failureOf, mayResend, Replica, ReplicaSet } from './replica-set';

export const UPSTREAMS = ['population', 'budget', 'narratives', 'contributions', 'operationView'] as const;
export type Upstream = (typeof UPSTREAMS)[number];

/** The public API's prefix; an owner service's path is the public path without it. */
export const API_PREFIX = '/api/v1';

/** Request headers a service may act on; nothing else (cookies, keys) leaves the gateway. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'content-length', 'accept', 'if-match', 'if-none-match', 'idempotency-key', 'prefer'];

/** Response headers that describe one hop, not the resource: never copied. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'trailer',
  'te',
  REQUEST_ID_HEADER,
]);

export interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

export interface ForwardOptions {
  maxBodyBytes?: number;
  timeoutMs?: number;
  /** Rewrites a successful answer (read whole: only for small ones) before it goes back. */
  completeAnswer?: (body: Buffer) => Promise<Buffer>;
  /** Headers the gateway sets on a successful or 304 answer, over the service's (the Cache-Control of a read). */
  answerHeaders?: Record<string, string>;
}

/**
 * Keep-alive connection pools to the replicas of the aggregator and the four owner services
 * (undici), and the one way a request is passed on: a whitelist of headers, the request id,
 * the body as received (bytes, or a stream never buffered whole), and the answer back unchanged.
 */
@Injectable()
export class Upstreams implements OnModuleDestroy {
  private readonly logger = new Logger('Upstreams');
  private readonly services: Record<Upstream, ReplicaSet>;

  constructor(@InjectConfig() config: GatewayConfig) {
    const origins: Record<Upstream, string> = {
      population: config.POPULATION_URL,
      budget: config.BUDGET_URL,
      narratives: config.NARRATIVES_URL,
      contributions: config.CONTRIBUTIONS_URL,
      operationView: config.OPERATION_VIEW_URL,
    };
    const pool = (origin: string) =>
      new Pool(origin, {
        connections: 64,
        keepAliveTimeout: 30_000,
        headersTimeout: config.UPSTREAM_TIMEOUT_MS,
        bodyTimeout: config.UPSTREAM_TIMEOUT_MS,
      });
    this.services = Object.fromEntries(
      UPSTREAMS.map((name) => [name, new ReplicaSet(upstreamUrls(origins[name]), pool, config.UPSTREAM_DOWN_MS)]),
    ) as Record<Upstream, ReplicaSet>;
  }

  async onModuleDestroy() {
    await Promise.all(Object.values(this.services).map((service) => service.close()));
  }

  /** A GET whose answer is read whole (views, health): small JSON documents. */
  get(upstream: Upstream, path: string, headers: Record<string, string> = {}): Promise<UpstreamResponse> {
    return this.call(upstream, 'GET', path, headers);
  }

  /** A request of the gateway's own, answer read whole; a JSON body is serialised. */
  async call(
    upstream: Upstream,
    method: Dispatcher.HttpMethod,
    path: string,
    headers: Record<string, string> = {},
    json?: unknown,
  ): Promise<UpstreamResponse> {
    const body = json === undefined ? undefined : JSON.stringify(json);
    const response = await this.send(upstream, {
      method,
      path,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body,
    });
    return {
      statusCode: response.statusCode,
      headers: response.headers as IncomingHttpHeaders,
      body: Buffer.from(await response.body.arrayBuffer()),
    };
  }

  /**
   * Passes the request on to `upstream` at the same path minus /api/v1 (query included) and
   * streams the answer back: status, headers and body (problem+json included) unchanged.
   */
  async forward(upstream: Upstream, request: FastifyRequest, reply: FastifyReply, options: ForwardOptions = {}): Promise<void> {
    const path = request.url.startsWith(API_PREFIX) ? request.url.slice(API_PREFIX.length) : request.url;
    const headers: Record<string, string> = { [REQUEST_ID_HEADER]: String(request.id) };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    let body: Buffer | Readable | undefined;
    if (Buffer.isBuffer(request.body)) {
      body = request.body;
      headers['content-length'] = String(request.body.length);
    } else if (request.body instanceof Readable) {
      const source = request.body;
      if (options.maxBodyBytes === undefined) body = source;
      else {
        const limited = byteLimit(options.maxBodyBytes);
        source.on('error', (error) => limited.destroy(error));
        body = source.pipe(limited);
      }
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await this.send(upstream, {
        method: request.method as Dispatcher.HttpMethod,
        path,
        headers,
        body,
        ...(options.timeoutMs ? { headersTimeout: options.timeoutMs } : {}),
      });
    } catch (error) {
      if (error instanceof BodyTooLargeError || (error as { cause?: unknown }).cause instanceof BodyTooLargeError) {
        // Let the client finish sending (up to a bound) so that it reads the 413 instead of a
        // broken pipe; past the bound the connection is closed (see the onSend hook).
        if (request.body instanceof Readable) await drain(request.body, options.maxBodyBytes ?? 0, DRAIN_TIMEOUT_MS);
        throw new ProblemException({
          type: PROBLEM_TYPES.tooLarge,
          title: 'Payload too large',
          status: 413,
          detail: `The body exceeds ${options.maxBodyBytes} bytes.`,
        });
      }
      throw error;
    }
    reply.status(response.statusCode);
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      // An owner's Location is a path of its own, which the gateway serves under its prefix.
      reply.header(name, name === 'location' && typeof value === 'string' && value.startsWith('/') ? `${API_PREFIX}${value}` : value);
    }
    if (options.answerHeaders && (response.statusCode < 300 || response.statusCode === 304)) reply.headers(options.answerHeaders);
    if (options.completeAnswer && response.statusCode < 300) {
      const completed = await options.completeAnswer(Buffer.from(await response.body.arrayBuffer()));
      reply.removeHeader('content-length');
      await reply.send(completed);
      return;
    }
    await reply.send(response.body);
  }

  /**
   * Sends to one replica after another until one answers: a replica that refuses, times out or
   * answers 502/503 is skipped for a while (ReplicaSet). The request goes to the next one only
   * when that cannot do harm (mayResend) and its body is bytes: a streamed body (the CSV
   * import) is sent once. The last answer or failure is the client's.
   */
  private async send(upstream: Upstream, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    const service = this.services[upstream];
    const method = options.method as Dispatcher.HttpMethod;
    const replayable = !(options.body instanceof Readable);
    const tried = new Set<Replica>();
    // Another replica for this request, if it may go to one after `failure` (taken from the round only then).
    const another = (failure: Failure) => (replayable && mayResend(method, failure) ? service.pick(tried) : undefined);
    let replica = service.pick();
    while (replica) {
      tried.add(replica);
      let next: Replica | undefined;
      try {
        const response = await replica.pool.request(options);
        if (response.statusCode !== 502 && response.statusCode !== 503) {
          service.markUp(replica);
          return response;
        }
        service.markDown(replica);
        next = another('maybe-sent');
        if (!next) return response;
        this.logger.warn(`${upstream} at ${replica.origin} answered ${response.statusCode}; trying ${next.origin}`);
        await response.body.dump().catch(() => undefined);
      } catch (error) {
        if (error instanceof BodyTooLargeError || (error as { cause?: unknown }).cause instanceof BodyTooLargeError) throw error;
        service.markDown(replica);
        next = another(failureOf(error));
        if (!next) throw this.unavailable(upstream, replica, error);
        this.logger.warn(`${upstream} at ${replica.origin}: ${describe(error)}; trying ${next.origin}`);
      }
      replica = next;
    }
    throw new Error(`${upstream}: no replica to send to`); // (never: a service has at least one)
  }

  private unavailable(upstream: Upstream, replica: Replica, error: unknown): ProblemException {
    const code = (error as { code?: string }).code ?? '';
    const timedOut = /TIMEOUT/.test(code);
    this.logger.warn(`${upstream} at ${replica.origin}: ${describe(error)}`);
    return new ProblemException(
      {
        type: PROBLEM_TYPES.unavailable,
        title: timedOut ? 'Gateway timeout' : 'Service unavailable',
        status: timedOut ? 504 : 503,
        detail: `The ${upstream === 'operationView' ? 'operation-view' : upstream} service ${timedOut ? 'did not answer in time' : 'is unavailable'}; retry shortly.`,
      },
      { 'retry-after': '5' },
    );
  }
}

const DRAIN_TIMEOUT_MS = 10_000;

function describe(error: unknown): string {
  return (error as { code?: string }).code || (error instanceof Error ? error.message : String(error));
}

/** Reads and discards what is left of a request body: at most `maxBytes`, for at most `timeoutMs`. */
export function drain(stream: Readable, maxBytes: number, timeoutMs: number): Promise<void> {
  stream.unpipe();
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise<void>((resolveDrain) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', done);
      stream.off('error', done);
      resolveDrain();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, timeoutMs);
    stream.on('data', onData);
    stream.once('end', done);
    stream.once('error', done);
    stream.resume();
  });
}

/** Passes bytes through until `max`, then fails the stream (the request is answered 413). */
export function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(new BodyTooLargeError(`more than ${max} bytes`));
      else callback(null, chunk);
    },
  });
}
