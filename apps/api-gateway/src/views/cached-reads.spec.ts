import Fastify, { FastifyInstance } from 'fastify';
import { ApiKeyRing, parseApiKeys } from '../auth/api-keys';
import { answerFromCache, CachedAnswerCounts } from '../cached-answers/cached-answers';
import { GatewayConfig } from '../config';
import { cachedViewRoutes } from './cached-reads';
import { CachedView, DATA_CODE, LIST_CODE, ViewCache } from './view-cache';

const READER = 'reader-key-0123456789';
const body = Buffer.from('{"year":2018}');
const JSON_TYPE = 'application/json; charset=utf-8';
const view = new CachedView('"7-2018-en"', body, JSON_TYPE, 'public, no-cache', 7);

/** The hook in front of the routes it knows; their handler stands for ViewsController and DataController. */
async function gateway(readAccess: 'open' | 'key'): Promise<{ app: FastifyInstance; cache: ViewCache; counts: CachedAnswerCounts }> {
  const config = Object.assign(new GatewayConfig(), { GATEWAY_READ_ACCESS: readAccess, VIEW_MAX_AGE_SECONDS: 0 });
  const cache = new ViewCache(10, 0);
  cache.setEnabled(true);
  const store = (key: string, code: string, value: CachedView) => cache.get(key, code, async () => ({ value, cacheable: true }));
  await store(ViewCache.key('KAZ', '2018', ''), 'KAZ', view);
  await store(ViewCache.key(LIST_CODE, '', ''), LIST_CODE, new CachedView('"list"', body, JSON_TYPE, 'public, no-cache'));
  await store('data|json|/api/v1/population?year=2018', DATA_CODE, new CachedView('"9-population-x"', body, JSON_TYPE, 'public, no-cache'));
  const csvPage = new CachedView(
    '"9-population-p"',
    Buffer.from('year,value\r\n'),
    'text/csv; charset=utf-8',
    'public, no-cache',
    undefined,
    {
      'next-cursor': 'abc',
    },
  );
  await store('data|csv|/api/v1/population?year=2018&limit=1', DATA_CODE, csvPage);
  await cache.keep(
    'data|csv|/api/v1/population?year=2018',
    DATA_CODE,
    async () => new CachedView('"9-population-e"', undefined, '', 'public, no-cache'),
  );
  const app = Fastify();
  const counts = answerFromCache(app, cachedViewRoutes(cache, new ApiKeyRing(parseApiKeys(`portal:reader:${READER}`)), config));
  const controller = async () => ({ answeredBy: 'controller' });
  app.get('/api/v1/operations', controller);
  app.get('/api/v1/operations/:code', controller);
  app.get('/api/v1/population', controller);
  app.put('/api/v1/operations/:code', controller);
  await app.ready();
  return { app, cache, counts };
}

describe('answerFromCache with the view routes', () => {
  it('answers a hit itself, with its ETag, Cache-Control and length, and 304 when If-None-Match names it', async () => {
    const { app, cache, counts } = await gateway('open');
    const hit = await app.inject('/api/v1/operations/KAZ?year=2018');
    expect(hit.statusCode).toBe(200);
    expect(hit.body).toBe('{"year":2018}');
    expect(hit.headers).toMatchObject({
      etag: '"7-2018-en"',
      'cache-control': 'public, no-cache',
      'content-type': JSON_TYPE,
      'content-length': String(body.length),
    });
    for (const ifNoneMatch of ['"7-2018-en"', 'W/"7-2018-en"', '"other", "7-2018-en"']) {
      const notModified = await app.inject({ url: '/api/v1/operations/KAZ?year=2018', headers: { 'if-none-match': ifNoneMatch } });
      expect(notModified.statusCode).toBe(304);
      expect(notModified.body).toBe('');
      expect(notModified.headers).toMatchObject({ etag: '"7-2018-en"', 'cache-control': 'public, no-cache' });
      expect(notModified.headers['content-type']).toBeUndefined();
    }
    expect((await app.inject({ url: '/api/v1/operations/KAZ?year=2018', headers: { 'if-none-match': '"6-2018-en"' } })).statusCode).toBe(
      200,
    );
    expect((await app.inject('/api/v1/operations')).headers.etag).toBe('"list"');
    expect(cache.hits).toBe(6);
    expect({ ...counts }).toEqual({ ok: 3, notModified: 3 });
  });

  it("answers a data API list's hit as a view's, with its 304, JSON and CSV pages alike", async () => {
    const { app, counts } = await gateway('open');
    const hit = await app.inject('/api/v1/population?year=2018');
    expect(hit.headers.etag).toBe('"9-population-x"');
    const conditional = await app.inject({ url: '/api/v1/population?year=2018', headers: { 'if-none-match': '"9-population-x"' } });
    expect(conditional.statusCode).toBe(304);
    // A CSV page, asked for by Accept: its own entry, with the headers that lead to the next page.
    const page = await app.inject({ url: '/api/v1/population?year=2018&limit=1', headers: { accept: 'text/csv' } });
    expect(page.body).toBe('year,value\r\n');
    expect(page.headers).toMatchObject({ etag: '"9-population-p"', 'content-type': 'text/csv; charset=utf-8', 'next-cursor': 'abc' });
    expect((await app.inject('/api/v1/population?year=2019')).json()).toEqual({ answeredBy: 'controller' });
    expect({ ...counts }).toEqual({ ok: 2, notModified: 1 });
  });

  it('answers a CSV export only with a 304 from its validator; its bytes always come from the controller', async () => {
    const { app, counts } = await gateway('open');
    const csv = (headers: Record<string, string>) =>
      app.inject({ url: '/api/v1/population?year=2018', headers: { accept: 'text/csv', ...headers } });
    const notModified = await csv({ 'if-none-match': '"9-population-e"' });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers).toMatchObject({ etag: '"9-population-e"', 'cache-control': 'public, no-cache' });
    for (const headers of [{}, { 'if-none-match': '"8-population-e"' }] as Record<string, string>[]) {
      expect((await csv(headers)).json()).toEqual({ answeredBy: 'controller' });
    }
    expect({ ...counts }).toEqual({ ok: 0, notModified: 1 });
  });

  it('leaves misses, past views, other methods and repeated parameters to the controller', async () => {
    const { app, counts } = await gateway('open');
    for (const request of [
      { url: '/api/v1/operations/KAZ?year=2019' },
      { url: '/api/v1/operations/KAZ' },
      { url: '/api/v1/operations/KAZ?year=2018&lang=fr' },
      { url: '/api/v1/operations/KAZ?year=2018&asOf=2024-01-01T00:00:00Z' },
      { url: '/api/v1/operations/KAZ?year=2018&year=2018' },
      { url: '/api/v1/operations/KAZ?year=2018', method: 'PUT' as const, payload: {} },
    ]) {
      const response = await app.inject(request);
      expect({ url: request.url, body: response.json() }).toEqual({ url: request.url, body: { answeredBy: 'controller' } });
    }
    expect({ ...counts }).toEqual({ ok: 0, notModified: 0 });
  });

  it('with GATEWAY_READ_ACCESS=key, answers a hit only for a reader key; the rest goes to the guard', async () => {
    const { app } = await gateway('key');
    expect((await app.inject('/api/v1/operations/KAZ?year=2018')).json()).toEqual({ answeredBy: 'controller' });
    expect(
      (await app.inject({ url: '/api/v1/operations/KAZ?year=2018', headers: { 'x-api-key': 'not-a-key-0123456789' } })).json(),
    ).toEqual({ answeredBy: 'controller' });
    const reader = await app.inject({ url: '/api/v1/operations/KAZ?year=2018', headers: { 'x-api-key': READER } });
    expect(reader.body).toBe('{"year":2018}');
  });
});
