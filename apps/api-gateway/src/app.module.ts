import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Controller, DynamicModule, Get, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiExcludeController, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCors from '@fastify/cors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppCoreModule, createServiceApp, kafkaReplication, ReadinessRegistry } from '@focus/service-kit';
import { AccessGuard, API_KEY_HEADER, identifyRequest } from './auth/access.guard';
import { ApiKeyRing } from './auth/api-keys';
import { corsOrigins, GatewayConfig } from './config';
import { HistoryController } from './history/history.controller';
import { HistoryService } from './history/history.service';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { MissingProfiles } from './proxy/missing-profiles';
import { Upstreams } from './upstream/upstreams';
import { WritesController } from './proxy/writes.controller';
import { ContributionsStreamController } from './stream/contributions-stream.controller';
import { ContributionEvents } from './stream/contribution-events';
import { GatewayMetrics } from './stream/gateway-metrics';
import { ViewsController } from './views/views.controller';
import { DataController } from './data/data.controller';
import { ReferenceController } from './data/reference.controller';
import { ContributionsList } from './data/contributions-list';
import { ViewsService } from './views/views.service';
import { ViewEventsServer } from './views/view-events.server';
import { ViewInvalidation } from './views/view-invalidation.controller';
import { GATEWAY_INSTANCE } from './gateway-instance';
import { cachedViewRoutes, frontDoorLookup } from './views/cached-reads';
import { answerFromCache } from './cached-answers/cached-answers';
import { limitRate, RateLimiter } from './limits/rate-limit';
import { openFrontDoor } from './cached-answers/front-door';
import { hasBody } from './request-body';

export const DOCS_PATH = 'api/docs';
export const OPENAPI_PATH = 'api/openapi.json';

/** Ready when the aggregator answers its own readiness: reads depend on it. */
@Injectable()
class AggregatorReadiness implements OnModuleInit {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit() {
    this.readiness.register({
      name: 'operation-view',
      check: async () => {
        const response = await this.upstreams.get('operationView', '/health/ready');
        return { ok: response.statusCode === 200, detail: response.statusCode === 200 ? undefined : `answered ${response.statusCode}` };
      },
    });
  }
}

/** `/` when no portal build is there: where to look instead. */
@ApiExcludeController()
@Controller()
class RootController {
  @Get()
  root() {
    return { name: 'Focus API gateway', api: '/api/v1', docs: `/${DOCS_PATH}`, openapi: `/${OPENAPI_PATH}`, health: '/health/ready' };
  }
}

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const portal = existsSync(config.PORTAL_DIR);
    return {
      module: GatewayModule,
      imports: [AppCoreModule.forRoot(config, 'api-gateway')],
      controllers: [
        ViewsController,
        ViewInvalidation,
        HistoryController,
        DataController,
        ReferenceController,
        WritesController,
        ContributionsStreamController,
        ...(portal ? [] : [RootController]),
      ],
      providers: [
        { provide: ApiKeyRing, useValue: new ApiKeyRing(config.apiKeys) },
        { provide: APP_GUARD, useClass: AccessGuard },
        Upstreams,
        MissingProfiles,
        ContributionsList,
        ViewsService,
        HistoryService,
        ContributionEvents,
        GatewayMetrics,
        AggregatorReadiness,
      ],
    };
  }
}

/** The gateway, ready to listen; main.ts and the tests build it the same way. */
export async function createGatewayApp(config: GatewayConfig): Promise<NestFastifyApplication> {
  const app = await createServiceApp(GatewayModule.forRoot(config), config, { bodyParser: false });
  const fastify = app.getHttpAdapter().getInstance();

  // Bodies are passed on as received: bytes (up to BODY_LIMIT_BYTES, else 413) for every
  // type, and a CSV import as a stream, never held whole. The owner service parses them.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  fastify.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));

  // Answered before its body was read (401 before an upload, 413 part-way through one): the
  // rest of the body may still be on its way, so the connection is not reused for another request.
  // A request without a body is not complete yet when it is answered within the event that
  // brought it (a cached read): it has nothing on its way, and keeps its connection.
  fastify.addHook(
    'onSend',
    (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
      if (!request.raw.complete && hasBody(request)) reply.header('connection', 'close');
      done(null, payload);
    },
  );

  const origins = corsOrigins(config.CORS_ORIGINS);
  if (origins.length > 0) {
    await app.register(fastifyCors as never, {
      origin: origins.includes('*') ? '*' : origins,
      // Joined here: the plugin joins an array again on every request.
      methods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS'].join(', '),
      allowedHeaders: [
        'content-type',
        API_KEY_HEADER,
        'if-match',
        'if-none-match',
        'idempotency-key',
        'x-request-id',
        'last-event-id',
      ].join(', '),
      exposedHeaders: [
        'etag',
        'location',
        'x-request-id',
        'retry-after',
        'ratelimit-limit',
        'ratelimit-remaining',
        'ratelimit-reset',
        'idempotent-replayed',
      ].join(', '),
      maxAge: 600,
    });
  }

  const ring = app.get(ApiKeyRing);
  const limiter = new RateLimiter({ max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS });
  // Per key when a valid one is presented; otherwise per address (so made-up keys share one bucket).
  const rateLimitKey = (raw: IncomingMessage) => {
    const { apiKey } = identifyRequest(ring, raw);
    return apiKey ? `key:${apiKey.name}` : `ip:${raw.socket.remoteAddress}`;
  };
  limitRate(fastify, limiter, (request) => rateLimitKey(request.raw));

  // Cached answers after the rate limit and CORS (their hooks come first), before everything
  // else; views and the list even before Fastify, at the server's front door.
  const { cache } = app.get(ViewsService);
  const cachedAnswers = answerFromCache(fastify, cachedViewRoutes(cache, ring, config));
  openFrontDoor(app.getHttpServer(), { lookup: frontDoorLookup(cache, ring, config), rateLimitKey, limiter, counts: cachedAnswers });
  app.get(GatewayMetrics).countCachedAnswers(cachedAnswers);

  // operation-view.events drop cached views: an @EventPattern handler (ViewInvalidation) on the Kafka transport.
  const viewEvents = new ViewEventsServer({
    brokers: config.KAFKA_BROKERS.split(','),
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    partitions: config.KAFKA_TOPIC_PARTITIONS,
    replication: kafkaReplication(config),
    instance: GATEWAY_INSTANCE,
    cache,
  });
  app.connectMicroservice({ strategy: viewEvents });
  const contributionEvents = app.get(ContributionEvents);
  // Reported, not required: the gateway serves (uncached, without a live stream) without them.
  app.get(ReadinessRegistry).register({
    name: 'events',
    check: async () => ({
      ok: true,
      detail: { views: viewEvents.state, contributions: contributionEvents.state, cache: cache.isEnabled() },
    }),
  });
  await app.startAllMicroservices();

  if (existsSync(config.PORTAL_DIR)) {
    // Files are looked up per request (a rebuilt portal is served without a restart); a path
    // that is no file falls through to the API's problem+json 404.
    app.useStaticAssets({ root: config.PORTAL_DIR, prefix: '/', wildcard: true, decorateReply: false, index: ['index.html'] });
  }

  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_PATH,
    raw: ['json'],
    customSiteTitle: 'Focus API',
  });
  return app;
}
