import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { PopulationFigureState, TOPICS } from '@focus/contracts';
import { listen } from '@focus/service-kit';
import { revisionsOf } from '@focus/messaging';
import { cleanUp, connectTestDb, publishedEvents, serviceEnvironment, testKafka, testNamespace } from '@focus/testing';
import { createPopulationApp } from './app.module';
import { populationConfig } from './config';

// The population service over real HTTP, on the real broker and server; every assertion
// about a write also reads what it published (or didn't) back from Kafka.
describe('population service', () => {
  const ns = testNamespace('population');
  const topic = ns.topic(TOPICS.population);
  let app: NestFastifyApplication;
  let base: string;
  let kafka: Kafka;
  let db: Connection;

  beforeAll(async () => {
    kafka = testKafka(ns);
    db = await connectTestDb(ns);
    const config = populationConfig(serviceEnvironment(ns));
    app = await createPopulationApp(config);
    base = await listen(app, config, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await cleanUp(ns, kafka, db);
  });

  const published = () => publishedEvents(kafka, topic, db, ['population_figures', 'population_totals'].map(revisionsOf));

  function put(path: string, body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${base}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  const seedSource = { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' };

  it('creates a figure, returns its version as ETag, and publishes its full state', async () => {
    const response = await put(
      '/operations/KAZ/population/2018/REF',
      { value: 588, source: seedSource },
      { 'x-request-id': 'req-create-1' },
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.headers.get('x-request-id')).toBe('req-create-1');
    expect(await response.json()).toMatchObject({
      status: 'created',
      version: 1,
      state: { operationCode: 'KAZ', year: 2018, type: 'REF', value: 588 },
    });

    const events = await published();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'population.figure.upserted',
      source: 'population',
      correlationId: 'req-create-1',
      subject: { operationCode: 'KAZ', entityId: 'KAZ:2018:REF', version: 1 },
      data: { operationCode: 'KAZ', year: 2018, type: 'REF', value: 588, source: seedSource },
    });
  });

  it('a retried PUT changes nothing and publishes nothing', async () => {
    const response = await put('/operations/KAZ/population/2018/REF', { value: 588, source: seedSource });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'unchanged', version: 1 });
    expect(await published()).toHaveLength(1);
  });

  it('If-Match with a stale version is 412 and changes nothing', async () => {
    expect((await put('/operations/KAZ/population/2018/REF', { value: 590, source: seedSource }, { 'if-match': '"1"' })).status).toBe(200);
    const stale = await put('/operations/KAZ/population/2018/REF', { value: 999, source: seedSource }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await stale.json()).toMatchObject({ status: 412, currentVersion: 2 });
    const events = await published();
    expect(events.map((e) => (e.data as PopulationFigureState).value)).toEqual([588, 590]);
  });

  it.each([
    ['a string for a number', { value: '588' }, 422, 'value'],
    ['an unknown field', { value: 1, extra: true }, 422, 'extra'],
    ['a negative count', { value: -1 }, 422, 'value'],
    ['a fraction', { value: 1.5 }, 422, 'value'],
    ['an operator object', { value: { $gt: 0 } }, 422, 'value'],
    ['a malformed source date', { value: 1, source: { name: 'x', asOf: '2018-02-30' } }, 422, 'source.asOf'],
    // Found by the fault suite's fuzzing: an empty list passed ValidateNested and failed later, as a 500.
    ['a list for the source', { value: 1, source: [] }, 422, 'source'],
    // One way to leave the source out: without the field. Null was taken for absent.
    ['a null source', { value: 1, source: null }, 422, 'source'],
    ['an array body', [1, 2], 422, ''],
    // Found by the fault suite's fuzzing: keys every object inherits were dropped silently, and the write went through.
    ['an inherited key', { value: 6, constructor: 1 }, 422, 'constructor'],
    ['an inherited key, nested', { value: 6, source: { name: 'x', asOf: '2017-12-31', valueOf: 1 } }, 422, 'source.valueOf'],
  ])('refuses %s with problem+json naming the field, and publishes nothing', async (_what, body, status, field) => {
    const before = (await published()).length;
    const response = await put('/operations/KAZ/population/2017/ASY', body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { errors: Array<{ field: string }> };
    expect(problem.errors.map((e) => e.field)).toContain(field);
    expect(await published()).toHaveLength(before);
  });

  it('refuses malformed JSON, bad path parameters and an oversized body', async () => {
    expect((await put('/operations/KAZ/population/2017/ASY', '{"value":')).status).toBe(400);
    expect((await put('/operations/kaz/population/2017/ASY', { value: 1 })).status).toBe(400);
    expect((await put('/operations/KAZ/population/1900/ASY', { value: 1 })).status).toBe(400);
    expect((await put('/operations/KAZ/population/2017/XYZ', { value: 1 })).status).toBe(400);
    // Other spellings of a number are not the year (the fuzzing found them accepted as 2018).
    for (const year of ['2018.0', '0x7E2', '2.018e3', '%202018', '02018'])
      expect((await put(`/operations/KAZ/population/${year}/ASY`, { value: 1 })).status).toBe(400);
    const huge = await put('/operations/KAZ/population/2017/ASY', {
      value: 1,
      source: { name: 'x'.repeat(2 * 1024 * 1024), asOf: '2017-12-31' },
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('keeps a reported year total apart from the breakdown, and deletes with a tombstone event', async () => {
    expect((await put('/operations/KAZ/population/2016/total', { value: 95795, source: seedSource })).status).toBe(201);
    const deleted = await fetch(`${base}/operations/KAZ/population/2018/REF`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await fetch(`${base}/operations/KAZ/population/2018/REF`, { method: 'DELETE' })).status).toBe(404);

    const list = (await (await fetch(`${base}/operations/KAZ/population`)).json()) as { figures: unknown[]; totals: unknown[] };
    expect(list.figures).toEqual([]);
    expect(list.totals).toEqual([expect.objectContaining({ year: 2016, total: 95795, version: 1 })]);

    const events = await published();
    expect(events.map((e) => [e.type, e.subject.version])).toEqual(
      expect.arrayContaining([
        ['population.total.upserted', 1],
        ['population.figure.deleted', 3],
      ]),
    );
    expect(events.find((e) => e.type === 'population.figure.deleted')?.data).toBeNull();
  });

  it('names a figure by origin with ?origin= on PUT and DELETE, beside the figure without one', async () => {
    const path = '/operations/TST/population/2010/REF';
    const bySyrians = await put(`${path}?origin=SYR`, { value: 40, source: seedSource });
    expect(bySyrians.status).toBe(201);
    expect(await bySyrians.json()).toMatchObject({ state: { operationCode: 'TST', year: 2010, type: 'REF', origin: 'SYR', value: 40 } });
    expect((await put(path, { value: 2, source: seedSource })).status).toBe(201);
    const listed = async () =>
      ((await (await fetch(`${base}/operations/TST/population`)).json()) as { figures: PopulationFigureState[] }).figures.map((f) => [
        f.origin ?? null,
        f.value,
      ]);
    expect(await listed()).toEqual(
      expect.arrayContaining([
        ['SYR', 40],
        [null, 2],
      ]),
    );

    for (const query of ['origin=SY', 'origin=SYR&origin=AFG', 'origin=syr']) {
      const refused = await put(`${path}?${query}`, { value: 1 });
      expect([query, refused.status]).toEqual([query, 400]);
    }
    expect((await put('/operations/TST/population/2010/total?origin=SYR', { value: 1 })).status).toBe(400);

    expect((await fetch(`${base}${path}?origin=SYR`, { method: 'DELETE' })).status).toBe(204);
    expect(await listed()).toEqual([[null, 2]]);
  });

  it('imports UNHCR CSV rows by operation, year, type and origin, replacing figures without origin; a second import changes nothing', async () => {
    const csv =
      readFileSync(resolve(__dirname, 'testing/unhcr-kaz-2016-2018.csv'), 'utf8') + '2018,Nowhere,XX,XX1,Kazakhstan,KAZ,KAZ,abc,,,,,,,,\n';
    const importCsv = () =>
      fetch(`${base}/imports/population?source=UNHCR%20population%20statistics%202025.06.1`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: csv,
      });

    // A figure without origin, as an editor or an import before origins wrote it: the file's figures by origin replace it.
    expect((await put('/operations/KAZ/population/2017/ASY', { value: 1, source: seedSource })).status).toBe(201);
    const first = await importCsv();
    expect(first.status).toBe(201);
    const summary = (await first.json()) as {
      replacedWithoutOrigin: number;
      rowsRead: number;
      figures: Record<string, number>;
      rejected: { count: number; lines: Array<{ line: number }> };
      operations: Array<{ code: string; name: string }>;
    };
    expect(summary.rowsRead).toBe(112);
    expect(summary.rejected).toMatchObject({ count: 1, lines: [{ line: 113 }] });
    expect(summary.operations).toEqual(
      expect.arrayContaining([
        { code: 'KAZ', name: 'Kazakhstan' },
        { code: 'HKG', name: 'China, Hong Kong SAR' },
      ]),
    );
    expect(summary.figures.created).toBeGreaterThan(0);

    const list = (await (await fetch(`${base}/operations/KAZ/population`)).json()) as {
      figures: Array<PopulationFigureState & { version: number }>;
    };
    const kaz2018: Record<string, number> = {};
    for (const f of list.figures.filter((f) => f.year === 2018)) kaz2018[f.type] = (kaz2018[f.type] ?? 0) + f.value;
    // UNHCR's 2025 release, summed over every origin: it revised the 2019 page's 588 and 195.
    expect(kaz2018).toMatchObject({ REF: 568, ASY: 190, STA: 7690 });
    // Kept by origin (coo_iso), as the file gives them: Afghans in Kazakhstan, 2018.
    expect(list.figures.find((f) => f.year === 2018 && f.type === 'REF' && f.origin === 'AFG')).toMatchObject({ value: 538 });
    // The figure written without an origin is replaced, not added to.
    expect(list.figures.filter((f) => f.origin === undefined)).toEqual([]);
    expect(summary).toMatchObject({ replacedWithoutOrigin: 1 });
    // Views sum every figure of a (year, type): the replaced figure goes as soon as its operation's
    // figures by origin are written, before the next operations' (not once the whole file is).
    const events = await published();
    const replaced = events.find((e) => e.type === 'population.figure.deleted' && e.subject.operationCode === 'KAZ');
    const laterOperations = events.filter((e) => e.type !== 'population.figure.deleted' && e.subject.operationCode > 'KAZ');
    expect(laterOperations.length).toBeGreaterThan(0);
    const lastOfLater = laterOperations.reduce((last, e) => (e.occurredAt > last ? e.occurredAt : last), '');
    expect(replaced?.occurredAt.localeCompare(lastOfLater)).toBe(-1);
    expect(list.figures.find((f) => f.year === 2018 && f.type === 'REF')?.source).toEqual({
      name: 'UNHCR population statistics 2025.06.1',
      asOf: '2018-12-31',
    });

    const eventsAfterFirst = (await published()).length;
    const second = await importCsv();
    const again = (await second.json()) as { figures: Record<string, number> };
    expect(again.figures).toEqual({ created: 0, updated: 0, unchanged: summary.figures.created + summary.figures.updated });
    expect(await published()).toHaveLength(eventsAfterFirst);

    // A later release without the Afghans in Kazakhstan in 2018: their figures go (the refugees and
    // asylum-seekers, and the zeros kept under Afghanistan as the first origin to report them), the other origins stay.
    const afghanFigures = list.figures.filter((f) => f.year === 2018 && f.origin === 'AFG');
    expect(afghanFigures.length).toBeGreaterThan(2);
    const withoutAfghans = csv
      .split('\n')
      .filter((line) => !line.startsWith('2018,Afghanistan,AFG,AFG,Kazakhstan,'))
      .join('\n');
    const third = await fetch(`${base}/imports/population?source=UNHCR%20population%20statistics%202025.12.1`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: withoutAfghans,
    });
    expect(third.status).toBe(201);
    expect(await third.json()).toMatchObject({ removedOrigins: afghanFigures.length, replacedWithoutOrigin: 0 });
    const after = (await (await fetch(`${base}/operations/KAZ/population`)).json()) as { figures: PopulationFigureState[] };
    expect(after.figures.filter((f) => f.year === 2018 && f.origin === 'AFG')).toEqual([]);
    const sum = (type: string) => after.figures.filter((f) => f.year === 2018 && f.type === type).reduce((total, f) => total + f.value, 0);
    expect([sum('REF'), sum('ASY'), sum('STA')]).toEqual([568 - 538, 190 - 164, 7690]);
  });

  it('with Prefer: respond-async, answers 202 once the file is read and checked, and the import is followed at its Location', async () => {
    const csv = readFileSync(resolve(__dirname, 'testing/unhcr-kaz-2016-2018.csv'), 'utf8');
    const importAsync = (body: string) =>
      fetch(`${base}/imports/population`, { method: 'POST', headers: { 'content-type': 'text/csv', prefer: 'respond-async' }, body });

    // A file nothing can be taken from is refused in the answer, as without the preference, and nothing is started.
    const refused = await importAsync(csv.split('\n')[0] + '\n2018,Nowhere,XX,XX1,Kazakhstan,KAZ,KAZ,$where,,,,,,,,\n');
    expect([refused.status, refused.headers.get('location')]).toEqual([422, null]);

    const accepted = await importAsync(csv);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('preference-applied')).toBe('respond-async');
    const location = accepted.headers.get('location') ?? '';
    expect(location).toMatch(/^\/imports\/population\/[0-9a-f-]{36}$/);
    const started = (await accepted.json()) as { id: string; state: string; rowsRead: number; progress: { figures: number } };
    expect(started).toMatchObject({
      state: 'running',
      rowsRead: 111,
      operations: expect.arrayContaining([{ code: 'KAZ', name: 'Kazakhstan' }]),
    });
    expect(location.endsWith(started.id)).toBe(true);

    let status = started as typeof started & {
      summary?: { figures: Record<string, number>; removedOrigins: number };
      progress: { figuresDone: number };
    };
    for (let polls = 0; status.state === 'running' && polls < 300; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await (await fetch(`${base}${location}`)).json()) as typeof status;
    }
    expect(status.state).toBe('succeeded');
    expect(status.progress).toEqual({ figures: started.progress.figures, figuresDone: started.progress.figures });
    // The file with the Afghans in Kazakhstan again, after a release without them (the test before): they are back.
    expect(status.summary?.figures.created).toBeGreaterThan(2);
    const list = (await (await fetch(`${base}/operations/KAZ/population`)).json()) as { figures: PopulationFigureState[] };
    expect(list.figures.find((f) => f.year === 2018 && f.type === 'REF' && f.origin === 'AFG')).toMatchObject({ value: 538 });

    expect((await fetch(`${base}/imports/population/8f14e45f-ceea-467f-a0e6-4b1f3c9e2d10`)).status).toBe(404);
    const malformed = await fetch(`${base}/imports/population/not-an-id`);
    expect([malformed.status, malformed.headers.get('content-type')]).toEqual([400, expect.stringContaining('application/problem+json')]);
  });

  it('reports readiness of its database and outbox, and serves metrics', async () => {
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { mongodb: { ok: true }, kafka: { ok: true }, outbox: { ok: true } },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/focus_events_published_total\{[^}]*topic="population.events"[^}]*\} \d+/);
  });
});
