import Fastify, { FastifyInstance } from 'fastify';
import { ApiKeyRing, parseApiKeys } from '../auth/api-keys';
import { GatewayConfig } from '../config';
import { answerCachedReads } from './cached-reads';
import { CachedView, DATA_CODE, LIST_CODE, ViewCache } from './view-cache';

const READER = 'reader-key-0123456789';
const view: CachedView = {
  etag: '"7-2018-en"',
  body: Buffer.from('{"year":2018}'),
  contentType: 'application/json; charset=utf-8',
  version: 7,
};

/** The hook in front of the two routes it knows; their handler stands for ViewsController. */
async function gateway(readAccess: 'open' | 'key'): Promise<{ app: FastifyInstance; cache: ViewCache }> {
  const config = Object.assign(new GatewayConfig(), { GATEWAY_READ_ACCESS: readAccess, VIEW_MAX_AGE_SECONDS: 0 });
  const cache = new ViewCache(10, 0);
  cache.setEnabled(true);
  await cache.get(ViewCache.key('KAZ', '2018', ''), 'KAZ', async () => ({ value: view, cacheable: true }));
  await cache.get(ViewCache.key(LIST_CODE, '', ''), LIST_CODE, async () => ({
    value: { ...view, etag: '"list"', version: undefined },
    cacheable: true,
  }));
  await cache.get('data|/api/v1/population?year=2018', DATA_CODE, async () => ({
    value: { ...view, etag: '"9-population-x"', version: undefined },
    cacheable: true,
  }));
  const app = Fastify();
  answerCachedReads(app, cache, new ApiKeyRing(parseApiKeys(`portal:reader:${READER}`)), config);
  const controller = async () => ({ answeredBy: 'controller' });
  app.get('/api/v1/operations', controller);
  app.get('/api/v1/operations/:code', controller);
  app.get('/api/v1/population', controller);
  app.put('/api/v1/operations/:code', controller);
  await app.ready();
  return { app, cache };
}

describe('answerCachedReads', () => {
  it('answers a hit itself, with its ETag and Cache-Control, and 304 when If-None-Match names it', async () => {
    const { app, cache } = await gateway('open');
    const hit = await app.inject('/api/v1/operations/KAZ?year=2018');
    expect(hit.statusCode).toBe(200);
    expect(hit.body).toBe('{"year":2018}');
    expect(hit.headers).toMatchObject({
      etag: '"7-2018-en"',
      'cache-control': 'public, no-cache',
      'content-type': 'application/json; charset=utf-8',
    });
    const notModified = await app.inject({ url: '/api/v1/operations/KAZ?year=2018', headers: { 'if-none-match': 'W/"7-2018-en"' } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect((await app.inject('/api/v1/operations')).headers.etag).toBe('"list"');
    expect(cache.hits).toBe(3);
  });

  it("answers a data API list's hit as a view's, with its 304; CSV always goes to the controller (streamed, never cached)", async () => {
    const { app } = await gateway('open');
    const hit = await app.inject('/api/v1/population?year=2018');
    expect(hit.headers.etag).toBe('"9-population-x"');
    expect((await app.inject({ url: '/api/v1/population?year=2018', headers: { 'if-none-match': '"9-population-x"' } })).statusCode).toBe(
      304,
    );
    expect((await app.inject({ url: '/api/v1/population?year=2018', headers: { accept: 'text/csv' } })).json()).toEqual({
      answeredBy: 'controller',
    });
    expect((await app.inject('/api/v1/population?year=2019')).json()).toEqual({ answeredBy: 'controller' });
  });

  it('leaves misses, other methods and repeated parameters to the controller', async () => {
    const { app } = await gateway('open');
    for (const request of [
      { url: '/api/v1/operations/KAZ?year=2019' },
      { url: '/api/v1/operations/KAZ' },
      { url: '/api/v1/operations/KAZ?year=2018&lang=fr' },
      { url: '/api/v1/operations/KAZ?year=2018&year=2018' },
      { url: '/api/v1/operations/KAZ?year=2018', method: 'PUT' as const, payload: {} },
    ]) {
      const response = await app.inject(request);
      expect({ url: request.url, body: response.json() }).toEqual({ url: request.url, body: { answeredBy: 'controller' } });
    }
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
