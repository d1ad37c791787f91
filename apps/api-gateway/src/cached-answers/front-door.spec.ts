import { Agent, createServer, IncomingMessage, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { RateLimiter } from '../limits/rate-limit';
import { CachedAnswerCounts } from './cached-answers';
import { openFrontDoor } from './front-door';
import { PreparedAnswer } from './prepared-answer';

const VIEW = new PreparedAnswer('"7-2018-en"', Buffer.from('{"view":1}'), 'application/json; charset=utf-8', 'public, no-cache');
const LIST = new PreparedAnswer('"list"', Buffer.from('[]'), 'application/json; charset=utf-8', 'public, no-cache');

describe('the front door', () => {
  let server: Server;
  let base: string;
  const asked: Array<{ code?: string; year: string; lang: string }> = [];
  const counts = new CachedAnswerCounts();

  beforeAll(async () => {
    // Fastify stands in as the server's one request listener: it answers what the front door passes on.
    server = createServer((_request, response) => response.writeHead(299, { 'x-answered-by': 'fastify' }).end());
    openFrontDoor(server, {
      lookup: (_request: IncomingMessage, code: string | undefined, year: string, lang: string) => {
        asked.push({ code, year, lang });
        if (code === undefined) return LIST;
        return code === 'KAZ-RO' && year === '2018' && lang === '' ? VIEW : undefined;
      },
      rateLimitKey: (request) => String(request.headers['x-who'] ?? 'anyone'),
      limiter: new RateLimiter({ max: 3, windowMs: 60_000 }),
      counts,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers: { 'x-who': 'a', ...headers } });

  it('answers a held view or list with its headers, the rate limit counted and a request id', async () => {
    const hit = await get('/api/v1/operations/KAZ-RO?year=2018', { 'x-request-id': 'req-1' });
    expect(hit.status).toBe(200);
    expect(await hit.text()).toBe('{"view":1}');
    expect(Object.fromEntries(hit.headers)).toMatchObject({
      etag: '"7-2018-en"',
      'cache-control': 'public, no-cache',
      'content-type': 'application/json; charset=utf-8',
      'ratelimit-limit': '3',
      'ratelimit-remaining': '2',
      'x-request-id': 'req-1',
    });
    const revalidated = await get('/api/v1/operations/KAZ-RO?year=2018', { 'if-none-match': '"7-2018-en"' });
    expect([revalidated.status, revalidated.headers.get('etag'), revalidated.headers.get('x-request-id')]).toEqual([
      304,
      '"7-2018-en"',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    ]);
    expect((await get('/api/v1/operations')).status).toBe(200);
    expect(counts).toMatchObject({ ok: 2, notModified: 1 });
  });

  it.each([
    ['a miss', '/api/v1/operations/AFG', {}],
    ['another route', '/api/v1/population?operation=KAZ-RO', {}],
    ['a past view', '/api/v1/operations/KAZ-RO?year=2018&asOf=2019-01-01T00:00:00Z', {}],
    ['a repeated parameter', '/api/v1/operations/KAZ-RO?year=2018&year=2018', {}],
    ['an encoded character', '/api/v1/operations/KAZ-RO?year=%32018', {}],
    ['an operator', '/api/v1/operations/KAZ-RO?year[$ne]=1', {}],
    ['a malformed code', '/api/v1/operations/kaz-ro', {}],
    ['a query on the list', '/api/v1/operations?year=2018', {}],
    ['a cross-origin read (CORS is Fastify’s)', '/api/v1/operations/KAZ-RO?year=2018', { origin: 'https://portal.example' }],
    ['another key over its limit (Fastify answers the 429)', '/api/v1/operations/KAZ-RO?year=2018', { 'x-who': 'b' }],
  ])('passes on %s to Fastify', async (_case, path, headers: Record<string, string>) => {
    if (headers['x-who'] === 'b') for (let i = 0; i < 3; i++) expect((await get(path, headers)).status).toBe(200);
    const passed = await get(path, headers);
    expect([passed.status, passed.headers.get('x-answered-by')]).toEqual([299, 'fastify']);
  });

  it('passes on any method but GET, and a GET with a body', async () => {
    expect((await fetch(`${base}/api/v1/operations/KAZ-RO?year=2018`, { method: 'HEAD' })).status).toBe(299);
    const withBody = await new Promise<number>((resolve, reject) => {
      const sent = request(
        `${base}/api/v1/operations/KAZ-RO?year=2018`,
        { method: 'GET', headers: { 'content-length': '2' } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      sent.on('error', reject);
      sent.end('{}');
    });
    expect(withBody).toBe(299);
  });

  it('keeps the connection of a cached read', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    for (let i = 0; i < 2; i++) {
      await new Promise<void>((resolve, reject) => {
        const sent = request(`${base}/api/v1/operations`, { agent, headers: { 'x-who': 'c' } }, (response) => {
          sockets.add(response.socket);
          expect(response.headers.connection).not.toBe('close');
          response.resume();
          response.on('end', resolve);
        });
        sent.on('error', reject);
        sent.end();
      });
    }
    agent.destroy();
    expect(sockets.size).toBe(1);
  });
});
