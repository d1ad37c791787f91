import { Controller, Get, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { createServiceApp } from '../bootstrap';
import { AppConfig, loadConfig } from '../config/service-config';
import { APP_LOGGER, AppCoreModule } from '../service-core.module';
import { createAppLogger, markRoutine, ROUTINE_SLOW_MS } from './request-logging';

const ENV = { KAFKA_BROKERS: '127.0.0.1:9092', PORT: '0' };

/** The pino lines one logger writes, parsed. */
function memoryLogger(level: string): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createAppLogger(loadConfig(AppConfig, {}, { ...ENV, LOG_LEVEL: level }), 'test-service', destination), lines };
}

@Controller()
class ProbeController {
  @Get('probe')
  probe(@Req() request: FastifyRequest) {
    // pino-http sets `log` on the raw request it handles: it must not have run.
    return { pinoHttpRan: 'log' in request.raw };
  }

  @Get('broken')
  broken() {
    throw new Error('boom');
  }

  /** Answers only once the test lets it: a request its client can leave before the answer. */
  @Get('slow')
  slow() {
    return new Promise((resolve) => (releaseSlow = () => resolve({ late: true })));
  }
}

let releaseSlow: (() => void) | undefined;

describe('request logging', () => {
  let app: NestFastifyApplication;

  async function start(level: string, routine?: (request: FastifyRequest) => boolean) {
    const config = loadConfig(AppConfig, {}, { ...ENV, LOG_LEVEL: level });
    const module = {
      module: class ProbeModule {},
      imports: [AppCoreModule.forRoot(config, 'test-service')],
      controllers: [ProbeController],
    };
    app = await createServiceApp(module, config);
    if (routine) {
      app
        .getHttpAdapter()
        .getInstance()
        .addHook('onRequest', (request: FastifyRequest, _reply: unknown, done: () => void) => {
          if (routine(request)) markRoutine(request);
          done();
        });
    }
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  }

  /** What the app's logger was asked to write, by level, without writing it. */
  function captured(...levels: Array<'info' | 'warn' | 'error'>) {
    const logger = app.get<Logger>(APP_LOGGER);
    return levels.map((level) => jest.spyOn(logger, level).mockImplementation(() => undefined));
  }

  /** Polls until `check` holds (a socket's close reaches the server a moment after the client's). */
  async function eventually(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(check()).toBe(true);
  }

  const requestLines = (spy: jest.SpyInstance) =>
    spy.mock.calls.filter(([, message]) => typeof message === 'string' && message.startsWith('request '));

  afterEach(async () => {
    await app?.close();
  });

  it('writes one line per request with its id, URL, status and time, and none for health or metrics', async () => {
    await start('info');
    const [info, error] = captured('info', 'error');
    const fastify = app.getHttpAdapter().getInstance();

    const probe = await fastify.inject({ method: 'GET', url: '/probe?year=2018', headers: { 'x-request-id': 'req-123' } });
    expect(probe.json()).toEqual({ pinoHttpRan: false });
    await fastify.inject({ method: 'GET', url: '/health/live' });
    await fastify.inject({ method: 'GET', url: '/metrics' });
    expect((await fastify.inject({ method: 'GET', url: '/broken' })).statusCode).toBe(500);

    expect(requestLines(info)).toEqual([
      [
        {
          req: { id: 'req-123', method: 'GET', url: '/probe?year=2018', remoteAddress: '127.0.0.1' },
          res: { statusCode: 200 },
          responseTime: expect.any(Number),
        },
        'request completed',
      ],
    ]);
    expect(requestLines(error)).toEqual([
      [expect.objectContaining({ req: expect.objectContaining({ url: '/broken' }), res: { statusCode: 500 } }), 'request errored'],
    ]);
  });

  it('writes a warning for a request its client left before the answer', async () => {
    await start('info');
    const [warn] = captured('warn');
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const client = httpRequest({ host: '127.0.0.1', port, path: '/slow', headers: { 'x-request-id': 'req-left' } });
    client.on('error', () => undefined);
    client.end();
    await eventually(() => releaseSlow !== undefined);
    client.destroy();
    await eventually(() => requestLines(warn).length > 0);
    releaseSlow?.();
    // (Its client's address is gone with its socket by then.)
    expect(requestLines(warn)).toEqual([
      [{ req: expect.objectContaining({ id: 'req-left', method: 'GET', url: '/slow' }) }, 'request aborted'],
    ]);
  });

  it('writes no line for a fast routine request, but one for a routine request that fails or is slow', async () => {
    await start('info', (request) => request.url.endsWith('routine=1'));
    const [info, error] = captured('info', 'error');
    const fastify = app.getHttpAdapter().getInstance();
    expect((await fastify.inject({ method: 'GET', url: '/probe?routine=1' })).statusCode).toBe(200);
    expect((await fastify.inject({ method: 'GET', url: '/broken?routine=1' })).statusCode).toBe(500);
    expect((await fastify.inject({ method: 'GET', url: '/missing?routine=1' })).statusCode).toBe(404);
    releaseSlow = undefined;
    const slow = fastify.inject({ method: 'GET', url: '/slow?routine=1' });
    await eventually(() => releaseSlow !== undefined);
    await new Promise((resolve) => setTimeout(resolve, ROUTINE_SLOW_MS + 50));
    // (Through the variable's declared type: the assignment above narrowed it to undefined.)
    (releaseSlow as (() => void) | undefined)?.();
    expect((await slow).statusCode).toBe(200);
    expect(requestLines(info).map(([line]) => [line.req.url, line.res.statusCode])).toEqual([
      ['/missing?routine=1', 404],
      ['/slow?routine=1', 200],
    ]);
    expect(requestLines(error).map(([line]) => line.req.url)).toEqual(['/broken?routine=1']);
  });

  it('builds no line below its level', async () => {
    await start('warn');
    const [info] = captured('info');
    expect((await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/probe' })).statusCode).toBe(200);
    expect(info).not.toHaveBeenCalled();
  });

  it('writes JSON lines that name the service', () => {
    const { logger, lines } = memoryLogger('info');
    logger.info({ req: { id: 'x' } }, 'request completed');
    logger.debug('below the level');
    expect(lines).toEqual([expect.objectContaining({ level: 30, service: 'test-service', msg: 'request completed', req: { id: 'x' } })]);
  });
});
