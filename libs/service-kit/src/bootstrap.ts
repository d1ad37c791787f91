import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from './config/service-config';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { REQUEST_ID_HEADER, requestIdOf } from './http/request-id';
import { createAppLogger, logRequests } from './http/request-logging';
import { APP_LOGGER } from './service-core.module';
import { StrictValidationPipe } from './http/strict-validation.pipe';

export interface CreateAppOptions {
  /** false: the app registers its own content-type parsers (the gateway forwards raw bodies). */
  bodyParser?: boolean;
}

/**
 * Builds a Focus HTTP app the same way for every service and for tests: Fastify with the
 * configured body limit, request ids, pino logs (a line per request), strict validation and
 * problem+json errors.
 */
export async function createServiceApp(
  module: unknown,
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: (raw: IncomingMessage) => requestIdOf(raw),
    // Keys and values the validator never sees (prototype pollution) are dropped at parse time.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // No app mounts Nest middleware (nestjs-pino's is mounted on no route): without it, middie's
    // onRequest hook ran on every request for nothing.
    skipMiddie: true,
  });
  // Not bufferLogs: it held every line until the app was up, so one that could not reach its
  // database said nothing for a minute, then all its retries at once. Until the app's own
  // logger takes over, Nest's lines go out as they happen, as the same JSON lines.
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    logger: startupLogger(config),
    bodyParser: options.bodyParser ?? true,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const fastify = app.getHttpAdapter().getInstance();
  logRequests(fastify, app.get(APP_LOGGER));
  // A callback hook, not an async one: it runs on every answer, and a promise each costs.
  fastify.addHook(
    'onSend',
    (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      done(null, payload);
    },
  );
  // Errors Fastify raises itself (body too large, bad JSON, unsupported content type) reach
  // ProblemDetailsFilter too: Nest installs Fastify's error handler at init and routes every
  // error to the global filters. A handler of our own here was replaced by it (FSTWRN004).
  app.enableShutdownHooks();
  return app;
}

/**
 * Nest's LoggerService over a pino logger like the app's, for the lines written while the app
 * starts; their shape follows nestjs-pino's: Nest appends the context, an object is merged in.
 */
function startupLogger(config: AppConfig): LoggerService {
  const logger = createAppLogger(config, config.SERVICE_NAME ?? 'app');
  const at =
    (level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal') =>
    (message: unknown, ...rest: unknown[]) => {
      const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
      const [detail] = rest;
      if (message instanceof Error) logger[level]({ context, err: message }, message.message);
      else if (message && typeof message === 'object')
        logger[level]({ context, ...message }, typeof detail === 'string' ? detail : undefined);
      else logger[level]({ context, ...(typeof detail === 'string' ? { stack: detail } : {}) }, String(message));
    };
  return { log: at('info'), error: at('error'), warn: at('warn'), debug: at('debug'), verbose: at('trace'), fatal: at('fatal') };
}

/** Starts listening; `PORT=0` takes any free port (tests). Returns the base URL. */
export async function listen(app: NestFastifyApplication, config: AppConfig, host = '0.0.0.0'): Promise<string> {
  await app.listen(config.PORT, host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  return `http://127.0.0.1:${port}`;
}

/**
 * A service's main: configuration first (a bad variable stops the app, naming it), then the
 * app. Start-up failures exit non-zero with one readable line instead of a stack dump.
 */
export function runService<C extends AppConfig>(
  name: string,
  loadConfiguration: () => C,
  start: (config: C) => Promise<{ app: NestFastifyApplication; url: string }>,
): void {
  let config: C;
  try {
    config = loadConfiguration();
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  start(config).then(
    ({ app, url }) => app.get(Logger).log(`${name} listening on ${url}`),
    (error: unknown) => {
      process.stderr.write(`${name}: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
