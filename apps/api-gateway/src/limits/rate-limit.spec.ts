import Fastify, { FastifyInstance } from 'fastify';
import { limitRate, RateLimiter } from './rate-limit';

/** A Fastify app limited to `max` requests per key per second, the key taken from a header; time is the test's. */
async function limited(max: number, clock: { now: number }, maxKeys?: number): Promise<FastifyInstance> {
  const app = Fastify();
  limitRate(app, new RateLimiter({ max, windowMs: 1_000, maxKeys, now: () => clock.now }), (request) => String(request.headers['x-who']));
  app.setErrorHandler((error: Error & { status?: number }, _request, reply) => {
    reply.status(error.status ?? 500).send({ refused: error.message });
  });
  app.get('/read', async () => ({ ok: true }));
  app.get('/health/live', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('limitRate', () => {
  it('answers the budget on every answer, then 429 with Retry-After past it, per key, until the window ends', async () => {
    const clock = { now: 10_000 };
    const app = await limited(2, clock);
    const read = (who: string) => app.inject({ url: '/read', headers: { 'x-who': who } });
    const first = await read('a');
    expect(first.statusCode).toBe(200);
    expect(first.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-reset': '1' });
    clock.now += 400;
    expect((await read('a')).headers['ratelimit-remaining']).toBe('0');
    const refused = await read('a');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'retry-after': '1' });
    expect(refused.json()).toEqual({ refused: expect.stringMatching(/^More than 2 requests/) });
    // Another key has its own budget; health is never counted.
    expect((await read('b')).statusCode).toBe(200);
    expect((await app.inject('/health/live')).headers['ratelimit-limit']).toBeUndefined();
    // The window began with a's first request: it ends 1 s after it, not after the last.
    clock.now += 600;
    expect((await read('a')).headers).toMatchObject({ 'ratelimit-remaining': '1' });
  });

  it('forgets the key whose window began first when it holds too many', async () => {
    const clock = { now: 0 };
    const app = await limited(1, clock, 2);
    const read = (who: string) => app.inject({ url: '/read', headers: { 'x-who': who } });
    for (const who of ['a', 'b']) expect((await read(who)).statusCode).toBe(200);
    expect((await read('a')).statusCode).toBe(429);
    expect((await read('c')).statusCode).toBe(200); // a, the stalest window, is forgotten
    expect((await read('b')).statusCode).toBe(429);
    expect((await read('a')).statusCode).toBe(200);
  });

  it('counts a request only within the limit when asked to (the front door leaves one over it to the hook, which answers 429)', () => {
    const limiter = new RateLimiter({ max: 1, windowMs: 1_000, now: () => 0 });
    expect(limiter.countIfAllowed('a')).toEqual({ allowed: true, remaining: 0, resetSeconds: 1 });
    expect(limiter.countIfAllowed('a')).toBeUndefined();
    expect(limiter.count('a')).toEqual({ allowed: false, remaining: 0, resetSeconds: 1 });
  });
});
