import { Agent, get as httpGet } from 'node:http';
import { Kafka } from 'kafkajs';
import { TOPICS } from '@focus/contracts';
import {
  cleanUpStack,
  eventually,
  readEventStream,
  readTopic,
  ServerSentEvent,
  Stack,
  startStack,
  testKafka,
  testNamespace,
} from '@focus/testing';

// The whole system as processes from the tsc build, on the real broker and server, driven
// only through the gateway as a portal or an editor would.
const EDITOR = 'e2e-editor-key-0123456789';
const READER = 'e2e-reader-key-0123456789';
const BURST = 'e2e-burst-key-01234567890';
const RATE_LIMIT_MAX = 400;
const IMPORT_MAX_BYTES = 200_000;

interface View {
  year: number;
  peopleOfConcern: { total: number | null; breakdown: Array<[string, number]> };
  meta: { version: number };
}

describe('api-gateway end to end', () => {
  const ns = testNamespace('gateway-e2e');
  let stack: Stack;
  let api: string;
  let kafka: Kafka;

  beforeAll(async () => {
    kafka = testKafka(ns);
    stack = await startStack({
      namespace: ns,
      appEnv: {
        'api-gateway': {
          GATEWAY_API_KEYS: `editor:editor:${EDITOR},reader:reader:${READER},burst:reader:${BURST}`,
          RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
          BODY_LIMIT_BYTES: String(64 * 1024),
          IMPORT_MAX_BYTES: String(IMPORT_MAX_BYTES),
          PORTAL_DIR: '/nonexistent/portal',
        },
      },
      echo: process.env['STACK_ECHO'] ? (line) => process.stdout.write(line) : undefined,
    });
    api = `${stack.gatewayUrl}/api/v1`;
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await cleanUpStack(ns, process.env['MONGO_URL'], kafka);
  });

  const write = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': EDITOR, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const read = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${api}${path}`, { headers: { 'x-api-key': READER, ...headers } });
  const source = { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' };
  const profile = {
    name: { en: 'Kazakhstan Regional Office', fr: 'Bureau régional au Kazakhstan' },
    region: 'Europe',
    subregion: 'Central Asia',
    offices: [{ name: 'Almaty', kind: 'regional-office', lat: 43.25, lon: 76.95 }],
  };

  /** Polls the view through the gateway until `until` holds. */
  async function viewUntil(until: (view: View) => boolean, what: string): Promise<{ view: View; etag: string }> {
    return eventually(
      async () => {
        const response = await read('/operations/KAZ?year=2018');
        if (response.status !== 200) return undefined;
        const view = (await response.json()) as View;
        return until(view) ? { view, etag: response.headers.get('etag') ?? '' } : undefined;
      },
      30_000,
      what,
    );
  }

  it('is live and ready, ready meaning the aggregator answers', async () => {
    expect((await fetch(`${stack.gatewayUrl}/health/live`)).status).toBe(200);
    const ready = await fetch(`${stack.gatewayUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { 'operation-view': { ok: true } } });
  });

  it('a write goes to its owner with the request id, which reaches the event; the view then shows it', async () => {
    expect((await write('PUT', '/operations/KAZ', profile)).status).toBe(201);
    const created = await write('PUT', '/operations/KAZ/population/2018/REF', { value: 588, source }, { 'x-request-id': 'e2e-write-1' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('x-request-id')).toBe('e2e-write-1');
    expect(await created.json()).toMatchObject({
      status: 'created',
      version: 1,
      state: { operationCode: 'KAZ', year: 2018, type: 'REF', value: 588 },
    });

    const events = await readTopic(kafka, ns.topic(TOPICS.population), (messages) =>
      messages.some((m) => m.headers['correlation-id'] === 'e2e-write-1'),
    );
    expect(JSON.parse(events.find((m) => m.headers['correlation-id'] === 'e2e-write-1')?.value ?? '{}')).toMatchObject({
      correlationId: 'e2e-write-1',
      subject: { entityId: 'KAZ:2018:REF' },
    });

    const { view, etag } = await viewUntil((v) => v.peopleOfConcern.breakdown.some(([, n]) => n === 588), 'the view shows the refugees');
    expect(view.peopleOfConcern.breakdown).toContainEqual(['Refugees', 588]);
    expect(etag).toBe(`"${view.meta.version}-2018-en"`);

    const list = await read('/operations');
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'KAZ', years: [2018] })]));
  });

  it('a repeated read with If-None-Match is 304; a new write drops the cached view', async () => {
    const first = await read('/operations/KAZ?year=2018');
    const etag = first.headers.get('etag') ?? '';
    expect(first.headers.get('cache-control')).toMatch(/no-cache|max-age/);
    const again = await read('/operations/KAZ?year=2018', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');

    expect((await write('PUT', '/operations/KAZ/population/2018/ASY', { value: 195, source })).status).toBe(201);
    const changed = await viewUntil(
      (v) => v.peopleOfConcern.breakdown.some(([label, n]) => label === 'Asylum-seekers' && n === 195),
      'the view shows the asylum-seekers',
    );
    expect(changed.etag).not.toBe(etag);
    expect(changed.view.peopleOfConcern.total).toBe(588 + 195);
    expect((await read('/operations/KAZ?year=2018', { 'if-none-match': etag })).status).toBe(200);
    expect((await read('/operations/KAZ?year=2018', { 'if-none-match': changed.etag })).status).toBe(304);
  });

  it('answers for an unknown operation and a malformed query in problem+json', async () => {
    const missing = await read('/operations/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await read('/operations/KAZ?year=18')).status).toBe(400);
    // Cached by now: a hit is answered before validation, but only for a query that validates.
    expect((await read('/operations/KAZ?year=2018')).status).toBe(200);
    expect((await read('/operations/KAZ?year=2018&year=2018')).status).toBe(400);
    expect((await read('/operations/KAZ?lang=de')).status).toBe(400);
    expect((await read('/operations/kaz')).status).toBe(400);
  });

  it('a stale If-Match is 412, passed back unchanged', async () => {
    expect((await write('PUT', '/operations/KAZ/population/2018/REF', { value: 590, source }, { 'if-match': '"1"' })).status).toBe(200);
    const stale = await write('PUT', '/operations/KAZ/population/2018/REF', { value: 999, source }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await stale.json()).toMatchObject({ status: 412, currentVersion: 2 });
  });

  it('writes need an editor key: none or unknown is 401, a reader key 403; reads are open', async () => {
    const body = { value: 1, source };
    const none = await fetch(`${api}/operations/KAZ/population/2017/REF`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(none.headers.get('www-authenticate')).toMatch(/x-api-key/);
    expect((await write('PUT', '/operations/KAZ/population/2017/REF', body, { 'x-api-key': 'e2e-unknown-key-0123456789' })).status).toBe(
      401,
    );
    const reader = await write('PUT', '/operations/KAZ/population/2017/REF', body, { 'x-api-key': READER });
    expect(reader.status).toBe(403);
    expect(await reader.json()).toMatchObject({ status: 403, type: 'urn:focus:problem:forbidden' });
    expect((await fetch(`${api}/operations/KAZ`)).status).toBe(200);
  });

  it("validation errors are the owner's problem+json, unchanged", async () => {
    const invalid = await write('PUT', '/operations/KAZ/population/2017/ASY', { value: '588' });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({
      status: 422,
      errors: expect.arrayContaining([expect.objectContaining({ field: 'value' })]),
    });
    expect((await write('PUT', '/operations/KAZ/population/2017/ASY', '{"value":')).status).toBe(400);
  });

  it('a body over the limit is 413; an import has its own, larger limit, and streams through', async () => {
    const huge = await write('PUT', '/operations/KAZ/narratives/2018/en/operational-environment', { body: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const header =
      'year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n';
    const row = '2018,Afghanistan,AFG,AFG,Testland,TST,TST,10,2,0,0,0,0,0,,0\n';
    const importCsv = (body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
      fetch(`${api}/imports/population?source=e2e`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-api-key': EDITOR, ...headers },
        body: body as never,
        duplex: 'half',
      } as RequestInit);

    const imported = await importCsv(header + row.repeat(1_000)); // ~60 kB: over the JSON limit, under the import one
    expect(imported.status).toBe(201);
    // Operations without a profile get one from the file's country name (profiles belong to narratives).
    expect(await imported.json()).toMatchObject({
      rowsRead: 1_000,
      operations: expect.arrayContaining([{ code: 'TST', name: 'Testland' }]),
      profiles: { created: expect.arrayContaining(['TST']), failed: [] },
    });
    const profile = await eventually(
      async () => {
        // Profile and figures come on two topics, projected in either order: wait for both.
        const view = (await (await read('/operations/TST?year=2018')).json()) as {
          operation?: { name?: unknown };
          peopleOfConcern?: { total?: number };
        };
        return view.operation?.name && view.peopleOfConcern?.total === 12_000 ? view : undefined;
      },
      30_000,
      'the imported operation has a view with its profile and its figures',
    );
    expect(profile).toMatchObject({ operation: { code: 'TST', name: { en: 'Testland' } }, peopleOfConcern: { total: 12_000 } }); // 1,000 rows of 10 + 2, summed
    const again = await importCsv(header + row.repeat(1_000));
    expect(await again.json()).toMatchObject({ figures: { created: 0, updated: 0 }, profiles: { created: [], existing: 2 } });

    // Prefer: respond-async: 202 once read, the new operation's profile made then, the import followed at its Location under /api/v1.
    const accepted = await importCsv(header + row.replace(/Testland,TST,TST/g, 'Otherland,TSO,TSO'), { prefer: 'respond-async' });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ state: 'running', profiles: { created: ['TSO'] } });
    const location = accepted.headers.get('location') ?? '';
    expect(location).toMatch(/^\/api\/v1\/imports\/population\/[0-9a-f-]{36}$/);
    const origin = new URL(api).origin;
    expect((await fetch(`${origin}${location}`)).status).toBe(401); // an import is an editor's business
    const written = await eventually(
      async () => {
        const status = (await (await fetch(`${origin}${location}`, { headers: { 'x-api-key': EDITOR } })).json()) as { state: string };
        return status.state === 'running' ? undefined : status;
      },
      30_000,
      'the import answered 202 is written',
    );
    expect(written).toMatchObject({ state: 'succeeded', summary: { rowsRead: 1, figures: { created: expect.any(Number) } } });

    expect((await importCsv(header + row.repeat(4_000))).status).toBe(413); // Content-Length says so at once
    const chunks = [header, ...Array.from({ length: 4_000 }, () => row)];
    const streamed = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const tooLong = await importCsv(streamed); // no Content-Length: counted as it streams
    expect(tooLong.status).toBe(413);
    expect(tooLong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('Idempotency-Key passes through: a retried POST records nothing new', async () => {
    const contribution = { donor: { name: 'European Union', type: 'eu' }, date: '2019-07-08', operationCode: 'KAZ', status: 'pledged' };
    const first = await write('POST', '/contributions', contribution, { 'idempotency-key': 'e2e-contribution-1' });
    expect(first.status).toBe(201);
    const retried = await write('POST', '/contributions', contribution, { 'idempotency-key': 'e2e-contribution-1' });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.headers.get('location')).toBe(first.headers.get('location'));
    const list = (await (await read('/contributions?operation=KAZ')).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it('reads one contribution where the Location of its POST points, with its version as ETag', async () => {
    const contribution = {
      donor: { name: 'Norway', type: 'government' },
      date: '2019-07-10',
      operationCode: 'KAZ',
      status: 'paid',
      amountUsd: 1_250.5,
    };
    const recorded = await write('POST', '/contributions', contribution);
    expect(recorded.status).toBe(201);
    const location = recorded.headers.get('location') ?? '';
    expect(location).toMatch(/^\/api\/v1\/contributions\/[0-9a-f-]{36}$/);
    const { state } = (await recorded.json()) as { state: { id: string } };

    const found = await fetch(`${stack.gatewayUrl}${location}`, { headers: { 'x-api-key': READER } });
    expect(found.status).toBe(200);
    expect(found.headers.get('etag')).toBe(recorded.headers.get('etag'));
    expect(await found.json()).toMatchObject({
      id: state.id,
      donor: { name: 'Norway' },
      amountUsd: 1_250.5,
      amountCents: 125_050,
      version: 1,
    });

    const unknown = await read('/contributions/0190a6e4-7b2c-7def-8123-456789abcdef');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await read('/contributions/not-an-id')).status).toBe(400);
  });

  it('corrects a contribution with PUT on its Location, If-Match guarding it, editors only', async () => {
    const pledged = {
      donor: { name: 'Sweden', type: 'government' },
      date: '2019-07-11',
      operationCode: 'KAZ',
      status: 'pledged',
      amountUsd: 500,
    };
    const recorded = await write('POST', '/contributions', pledged);
    const path = (recorded.headers.get('location') ?? '').replace(/^\/api\/v1/, '');
    const paid = await write('PUT', path, { ...pledged, status: 'paid' }, { 'if-match': recorded.headers.get('etag') ?? '' });
    expect(paid.status).toBe(200);
    expect(paid.headers.get('etag')).toBe('"2"');
    expect(await (await read(path)).json()).toMatchObject({ status: 'paid', version: 2 });

    const stale = await write('PUT', path, { ...pledged, status: 'cancelled' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(await (await read(path)).json()).toMatchObject({ status: 'paid', version: 2 });
    expect((await write('PUT', '/contributions/0190a6e4-7b2c-7def-8123-456789abcdef', pledged)).status).toBe(404);
    expect(
      (
        await fetch(`${api}${path}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'x-api-key': READER },
          body: JSON.stringify(pledged),
        })
      ).status,
    ).toBe(403);
  });

  it('streams contribution events over SSE, and resumes after Last-Event-ID without duplicates', async () => {
    await eventually(
      async () => {
        const ready = (await (await fetch(`${stack.gatewayUrl}/health/ready`)).json()) as {
          checks: { events: { detail: { contributions: string } } };
        };
        return ready.checks.events.detail.contributions === 'running' ? true : undefined;
      },
      30_000,
      'the contributions stream is consuming',
    );

    const post = (donor: string) =>
      write('POST', '/contributions', {
        donor: { name: donor, type: 'government' },
        date: '2019-07-09',
        operationCode: 'KAZ',
        status: 'paid',
      });
    const first = await openStream(`${api}/contributions/stream?operation=KAZ`, {});
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await post('Japan')).status).toBe(201);
    // Earlier contributions may still be arriving at the gateway: they are live to it too.
    const japan = await first.find((e) => JSON.parse(e.data).data.donor.name === 'Japan');
    expect(JSON.parse(japan.data)).toMatchObject({
      type: 'contributions.contribution.recorded',
      data: { donor: { name: 'Japan' }, operationCode: 'KAZ' },
    });
    first.close();

    expect((await post('Norway')).status).toBe(201);
    expect((await post('Sweden')).status).toBe(201);
    const resumed = await openStream(`${api}/contributions/stream?operation=KAZ`, { 'last-event-id': japan.id });
    const missed = await resumed.next(2);
    expect(missed.map((e) => JSON.parse(e.data).data.donor.name).sort()).toEqual(['Norway', 'Sweden']);
    expect((await post('Denmark')).status).toBe(201);
    const [live] = await resumed.next(1);
    expect(JSON.parse(live.data).data.donor.name).toBe('Denmark');
    const ids = [...missed, live].map((e) => e.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids).not.toContain(japan.id);
    resumed.close();
  });

  it('serves an OpenAPI 3.1 document with every public route, and Swagger UI', async () => {
    const response = await fetch(`${stack.gatewayUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /api/v1/operations',
        'GET /api/v1/operations/{code}',
        'PUT /api/v1/operations/{code}',
        'DELETE /api/v1/operations/{code}',
        'PUT /api/v1/operations/{code}/population/{year}/{type}',
        'DELETE /api/v1/operations/{code}/population/{year}/{type}',
        'PUT /api/v1/operations/{code}/budget/{year}/pillars/{pillar}',
        'DELETE /api/v1/operations/{code}/budget/{year}/pillars/{pillar}',
        'PUT /api/v1/operations/{code}/key-figures/{year}/{kind}',
        'DELETE /api/v1/operations/{code}/key-figures/{year}/{kind}',
        'PUT /api/v1/operations/{code}/narratives/{year}/{lang}/{section}',
        'DELETE /api/v1/operations/{code}/narratives/{year}/{lang}/{section}',
        'POST /api/v1/contributions',
        'GET /api/v1/contributions',
        'GET /api/v1/contributions/stream',
        'POST /api/v1/imports/population',
        'GET /api/v1/imports/population/{id}',
        'GET /health/live',
        'GET /health/ready',
      ]),
    );
    for (const [route, responses] of Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => [`${m} ${path}`, op.responses] as const),
    )) {
      if (route.includes('/api/v1/') && !route.startsWith('get'))
        expect(Object.keys(responses)).toEqual(expect.arrayContaining(['401', '403', '422', '429']));
    }
    // Every reference resolves.
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.filter((name) => !(name in document.components.schemas))).toEqual([]);
    expect(document.components.schemas).toHaveProperty('PutFigureDto');
    expect(document.components.schemas).toHaveProperty('OperationView');
    // The view a portal gets has what the document promises.
    const viewSchema = document.components.schemas['OperationView'] as {
      required: string[];
      properties: Record<string, { required?: string[] }>;
    };
    const view = (await (await read('/operations/KAZ?year=2018')).json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(view).sort()).toEqual(Object.keys(viewSchema.properties).sort());
    expect(viewSchema.required.filter((key) => !(key in view))).toEqual([]);
    for (const [key, schema] of Object.entries(viewSchema.properties))
      expect((schema.required ?? []).filter((k) => !(k in (view[key] ?? {})))).toEqual([]);

    const docs = await fetch(`${stack.gatewayUrl}/api/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
  });

  it('counts cache hits and stream clients in /metrics', async () => {
    const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
    expect(metrics).toMatch(/focus_gateway_view_cache_lookups_total\{[^}]*result="hit"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/focus_gateway_view_cache_enabled\{[^}]*\} 1/);
    // Cached answers write no request line: this is where they show.
    expect(metrics).toMatch(/focus_gateway_cached_answers_total\{[^}]*status="200"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/focus_gateway_cached_answers_total\{[^}]*status="304"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/focus_gateway_stream_clients/);
  });

  it('keeps the connection of a cached read, with the request id and rate limit headers on its answer', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status?: number; reused: boolean; headers: Record<string, unknown> }>((resolve, reject) => {
        const request = httpGet(`${api}/operations/KAZ?year=2018`, { agent, headers: { 'x-api-key': READER } }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode, reused: request.reusedSocket, headers: response.headers }));
        });
        request.on('error', reject);
      });
    try {
      const first = await get();
      const second = await get();
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.reused).toBe(true);
      expect(second.headers['connection']).not.toBe('close');
      expect(second.headers).toMatchObject({
        'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
        'ratelimit-limit': String(RATE_LIMIT_MAX),
      });
    } finally {
      agent.destroy();
    }
  });

  it('generates a request id when none is given', async () => {
    const response = await fetch(`${stack.gatewayUrl}/`);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toMatchObject({ docs: '/api/docs' });
  });

  it('limits the rate per key: 429 with Retry-After and RateLimit headers', async () => {
    let limited: Response | undefined;
    for (let sent = 0; sent < RATE_LIMIT_MAX + 20 && !limited; sent += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => read('/operations', { 'x-api-key': BURST })));
      limited = batch.find((r) => r.status === 429);
    }
    expect(limited).toBeDefined();
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited?.headers.get('ratelimit-limit')).toBe(String(RATE_LIMIT_MAX));
    expect(limited?.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await limited?.json()).toMatchObject({ status: 429, type: 'urn:focus:problem:rate-limited' });
    // Another key has its own budget.
    expect((await read('/operations')).status).toBe(200);
  });

  it('single apps die and come back: the gateway resumes the stream after its own restart, and reads wait for the aggregator', async () => {
    const post = (donor: string) =>
      write('POST', '/contributions', {
        donor: { name: donor, type: 'government' },
        date: '2019-07-10',
        operationCode: 'KAZ',
        status: 'paid',
      });
    const donorOf = (e: ServerSentEvent) => JSON.parse(e.data).data.donor.name as string;
    const before = await openStream(`${api}/contributions/stream?operation=KAZ`, {});
    expect((await post('Finland')).status).toBe(201);
    const finland = await before.find((e) => donorOf(e) === 'Finland');
    before.close();

    // SIGTERM ends open streams instead of waiting for them (a stream never ends by itself, so
    // a gateway that waited would never exit and this kill would hang); SIGKILL is a crash.
    const open = await openStream(`${api}/contributions/stream`, {});
    await stack.kill('api-gateway', 'SIGTERM');
    expect(stack.running('api-gateway')).toBe(false);
    expect(await open.ended).toBe(true);
    await stack.start('api-gateway');
    await stack.restart('api-gateway'); // SIGKILL, then started again on its port
    expect((await post('Iceland')).status).toBe(201);
    const after = await openStream(`${api}/contributions/stream?operation=KAZ`, { 'last-event-id': finland.id });
    await after.find((e) => donorOf(e) === 'Iceland');
    const ids = after.received().map((e) => e.id);
    expect(ids).not.toContain(finland.id);
    expect(new Set(ids).size).toBe(ids.length);
    after.close();

    await stack.kill('operation-view', 'SIGTERM'); // (SIGKILL would hold its partitions until the group's session times out)
    expect((await fetch(`${stack.gatewayUrl}/health/ready`)).status).toBe(503);
    const away = await read('/operations/KAZ?year=2017');
    expect(away.status).toBe(503);
    expect(away.headers.get('retry-after')).toBe('5');
    await stack.start('operation-view');
    expect((await fetch(`${stack.gatewayUrl}/health/ready`)).status).toBe(200);
    expect((await read('/operations/KAZ?year=2017')).status).toBe(200);
  });
});

/** A minimal EventSource over fetch: `next(n)` waits for the next n events. */
async function openStream(url: string, headers: Record<string, string>) {
  const stream = await readEventStream(url, { 'x-api-key': READER, ...headers });
  const { events, ended } = stream;
  let taken = 0;
  return {
    headers: stream.headers,
    received: () => [...events],
    /** Resolves true when the server ended the stream, false when we did. */
    ended,
    find: (match: (event: ServerSentEvent) => boolean) =>
      eventually(
        async () => {
          const index = events.findIndex((e, i) => i >= taken && match(e));
          if (index < 0) return undefined;
          taken = index + 1;
          return events[index];
        },
        20_000,
        'a matching server-sent event',
      ),
    next: (n: number) =>
      eventually(
        async () => {
          if (events.length - taken < n) return undefined;
          const out = events.slice(taken, taken + n);
          taken += n;
          return out;
        },
        20_000,
        `${n} server-sent events`,
      ),
    close: stream.close,
  };
}
