import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { ContributionState, createEvent, entityIds, EventEnvelope, eventDefinition, EVENTS, PopulationFigureState } from '@focus/contracts';
import { canonicalJson, listen } from '@focus/service-kit';
import { cleanUp, connectTestDb, eventually, serviceEnvironment, testKafka, testNamespace } from '@focus/testing';
import { createOperationViewApp, startOperationView } from '../app.module';
import { operationViewConfig } from '../config';
import { seedEventsFor } from '../testing/seed-events';
import { seedState } from '../testing/seed-state';
import { REVISIONS_COLLECTION } from './revision-store';

interface Revision {
  version: number;
  deleted: boolean;
  state: Record<string, unknown> | null;
  source?: { name: string; asOf: string };
  recordedAt: string;
  requestId: string | null;
}
interface View {
  peopleOfConcern: { total: number | null; breakdown: Array<[string, number]>; sources: Array<{ name: string }> };
  latestContributions: Array<{ donor: string }>;
  meta: { version: number };
}

// History and as-of views on the real broker and server, from the events alone, and the same
// answers after a rebuild that starts without any recorded revision.
describe('operation view: history and as-of', () => {
  const ns = testNamespace('view-history');
  const code = 'HIST-RO';
  const refId = entityIds.populationFigure(code, 2018, 'REF');
  let app: NestFastifyApplication;
  let base: string;
  let kafka: Kafka;
  let producer: Producer;
  let db: Connection;

  const at = (iso: string) => new Date(iso);
  const seed = seedState(code);
  const seedRef = seed.figures[refId].s as PopulationFigureState;
  const seedTotal = Object.values(seed.figures).reduce((sum, f) => sum + (f.s!.year === 2018 ? f.s!.value : 0), 0);
  const ref = (version: number, value: number, source: string, when: string, correlationId: string) =>
    createEvent(EVENTS.populationFigureUpserted, {
      subject: { operationCode: code, entityId: refId, version },
      data: { ...seedRef, value, source: { name: source, asOf: '2018-12-31' } },
      occurredAt: at(when),
      correlationId,
    });
  const seedRevision = ref(1, seedRef.value, 'UNHCR Global Focus 2019', '2020-01-01T00:00:00Z', 'req-1');
  const seeded = seedEventsFor(seed, code).map((e) =>
    e.subject.entityId === refId ? seedRevision : { ...e, occurredAt: '2020-01-01T00:00:00.000Z' },
  );
  const revisions = [
    ref(2, 568, 'UNHCR population statistics 2025', '2021-01-01T00:00:00Z', 'req-2'),
    ref(3, 570, 'A third release', '2022-01-01T00:00:00Z', 'req-3'),
    createEvent(EVENTS.populationFigureDeleted, {
      subject: { operationCode: code, entityId: refId, version: 4 },
      data: null,
      occurredAt: at('2023-01-01T00:00:00Z'),
      correlationId: 'req-4',
    }),
  ];
  // A contribution re-earmarked before the `moved` event existed: only `updated`, under its new operation.
  const contributionId = '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3';
  const donation =
    (id: string, donor: string, date: string) =>
    (operationCode: string): ContributionState => ({
      id,
      donor: { name: donor, type: 'government' },
      date,
      operationCode,
      status: 'paid',
    });
  const norway = donation(contributionId, 'Norway', '2019-07-08');
  const contributionSubject = (operationCode: string, version: number) => ({ operationCode, entityId: contributionId, version });
  const moves = [
    createEvent(EVENTS.contributionsContributionRecorded, {
      subject: contributionSubject(code, 1),
      data: norway(code),
      occurredAt: at('2020-02-01T00:00:00Z'),
    }),
    createEvent(EVENTS.contributionsContributionUpdated, {
      subject: contributionSubject('HIST-NEW', 2),
      data: norway('HIST-NEW'),
      occurredAt: at('2021-02-01T00:00:00Z'),
    }),
  ];

  async function publish(events: EventEnvelope[]) {
    for (const event of events) {
      const topic = ns.topic(eventDefinition(event.type)!.topic);
      await producer.send({ topic, messages: [{ key: event.subject.operationCode, value: JSON.stringify(event) }] });
    }
  }
  const get = async <T>(path: string) => {
    const response = await fetch(`${base}${path}`);
    return { response, body: (await response.json().catch(() => undefined)) as T };
  };
  const history = (entityId: string, query = '') =>
    get<{ items: Revision[]; nextCursor: string | null }>(`/history/entities/${entityId}${query}`);
  const asOf = (instant: string, operation = code) =>
    get<View>(`/history/operations/${operation}?year=2018&asOf=${encodeURIComponent(instant)}`);
  /** A view without what differs between the live and the as-of answer of one state: when it was written, and the instant asked for. */
  const withoutMeta = (view: View & { asOf?: string }) => {
    const { meta: _meta, asOf: _asOf, ...rest } = view;
    return canonicalJson(rest);
  };

  /** Every answer the tests check, for comparing before and after a rebuild. */
  async function answers() {
    const instants = ['2020-06-01T00:00:00Z', '2021-06-01T00:00:00Z', '2022-06-01T00:00:00Z', '2023-06-01T00:00:00Z'];
    const views = await Promise.all(instants.map(async (instant) => (await asOf(instant)).body));
    return {
      history: (await history(refId)).body,
      contribution: (await history(contributionId)).body,
      views,
      old: (await asOf('2023-06-01T00:00:00Z', 'HIST-NEW')).body,
    };
  }

  beforeAll(async () => {
    kafka = testKafka(ns);
    db = await connectTestDb(ns);
    const config = operationViewConfig(serviceEnvironment(ns));
    app = await createOperationViewApp(config);
    await startOperationView(app);
    base = await listen(app, config, '127.0.0.1');
    producer = kafka.producer();
    await producer.connect();
    await publish([...seeded, ...revisions, ...moves]);
    const recorded = async () =>
      (await history(refId)).body?.items?.length === 4 && (await history(contributionId)).body?.items?.length === 2;
    await eventually(async () => ((await recorded()) ? true : undefined), 60_000, 'every revision recorded');
  });

  afterAll(async () => {
    await producer.disconnect();
    await app.close();
    await cleanUp(ns, kafka, db);
  });

  it('a figure written three times with three sources and then deleted has four revisions, newest first, paged', async () => {
    const { body } = await history(refId);
    expect(
      body.items.map((r) => [r.version, r.deleted, r.state?.['value'] ?? null, r.source?.name ?? null, r.recordedAt, r.requestId]),
    ).toEqual([
      [4, true, null, null, '2023-01-01T00:00:00.000Z', 'req-4'],
      [3, false, 570, 'A third release', '2022-01-01T00:00:00.000Z', 'req-3'],
      [2, false, 568, 'UNHCR population statistics 2025', '2021-01-01T00:00:00.000Z', 'req-2'],
      [1, false, seedRef.value, 'UNHCR Global Focus 2019', '2020-01-01T00:00:00.000Z', 'req-1'],
    ]);
    const first = await history(refId, '?limit=3');
    expect(first.body.items.map((r) => r.version)).toEqual([4, 3, 2]);
    const second = await history(refId, `?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ version: 1 }], nextCursor: null });
    expect((await history(refId, '?cursor=bm90LWEtY3Vyc29y')).response.status).toBe(422);
    expect((await history(refId, '?limit=0')).response.status).toBe(422);
  });

  it('answers 404 for an entity never recorded', async () => {
    const { response } = await history(entityIds.populationFigure(code, 1999, 'REF'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('shows the page as of any instant: each value in its total and breakdown, the deletion after it', async () => {
    const refOf = (view: View) => view.peopleOfConcern.breakdown.find(([label]) => label === 'Refugees')?.[1];
    const views = (await answers()).views;
    expect(views.map(refOf)).toEqual([seedRef.value, 568, 570, undefined]);
    const others = seedTotal - seedRef.value;
    expect(views.map((v) => v.peopleOfConcern.total)).toEqual([seedTotal, others + 568, others + 570, others]);
    expect(views[1].peopleOfConcern.sources.map((s) => s.name)).toEqual(['UNHCR Global Focus 2019', 'UNHCR population statistics 2025']);
  });

  it('as of now, the page is the live view, every derived figure included', async () => {
    const live = await get<View>(`/operations/${code}?year=2018`);
    const now = await asOf(new Date().toISOString());
    expect(withoutMeta(now.body)).toEqual(withoutMeta(live.body));
    expect(now.body.meta.version).toBe(live.body.meta.version);
  });

  it('gives a past instant a stable ETag and long-lived caching; refuses malformed and future instants; 404 before the first change', async () => {
    const first = await asOf('2021-06-01T00:00:00Z');
    const etag = first.response.headers.get('etag')!;
    expect(first.response.headers.get('cache-control')).toMatch(/max-age=\d{6,}.*immutable/);
    expect((await asOf('2021-06-01T02:00:00+02:00')).response.headers.get('etag')).toBe(etag);
    const again = await fetch(`${base}/history/operations/${code}?year=2018&asOf=2021-06-01T00:00:00Z`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    for (const bad of ['2021-06-01', '2021-02-30T00:00:00Z', 'yesterday', new Date(Date.now() + 86_400_000).toISOString()]) {
      const { response } = await asOf(bad);
      const answer = { bad, status: response.status, type: response.headers.get('content-type') };
      expect(answer).toEqual({ bad, status: 400, type: expect.stringMatching(/problem\+json/) });
    }
    const before = await asOf('2019-12-31T23:59:59Z');
    expect(before.response.status).toBe(404);
    expect(before.response.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await asOf('2021-06-01T00:00:00Z', 'NEVER-SEEN')).response.status).toBe(404);
  });

  it('leaves no contribution on an operation it left, though no moved event said so', async () => {
    const live = await get<View>(`/operations/${code}?year=2018`);
    expect(live.body.latestContributions).toEqual([]);
    const donors = async (instant: string, operation = code) =>
      (await asOf(instant, operation)).body.latestContributions.map((c) => c.donor);
    expect(await donors('2020-06-01T00:00:00Z')).toEqual(['Norway']);
    expect(await donors('2021-06-01T00:00:00Z')).toEqual([]);
    expect(await donors('2021-06-01T00:00:00Z', 'HIST-NEW')).toEqual(['Norway']);
    expect((await history(contributionId)).body.items.map((r) => [r.version, r.state?.['operationCode']])).toEqual([
      [2, 'HIST-NEW'],
      [1, code],
    ]);
  });

  it('leaves no contribution on an operation it left when its move arrives before its first version (a replay across partitions)', async () => {
    const id = '016bd1e1-6ca0-7d53-af66-1707ddc1b3b4';
    const sweden = donation(id, 'Sweden', '2019-08-01');
    const subject = (operationCode: string, version: number) => ({ operationCode, entityId: id, version });
    const moved = { subject: subject('LATE-NEW', 2), data: sweden('LATE-NEW'), occurredAt: at('2021-03-01T00:00:00Z') };
    await publish([createEvent(EVENTS.contributionsContributionUpdated, moved)]);
    await eventually(async () => ((await history(id)).body?.items?.length === 1 ? true : undefined), 60_000, 'the move recorded');
    const first = { subject: subject('LATE-OLD', 1), data: sweden('LATE-OLD'), occurredAt: at('2020-03-01T00:00:00Z') };
    await publish([createEvent(EVENTS.contributionsContributionRecorded, first)]);
    const old = await eventually(
      async () => {
        const { response, body } = await get<View>('/operations/LATE-OLD?year=2019');
        return response.status === 200 ? body : undefined;
      },
      60_000,
      'the old operation has a view',
    );
    expect(old.latestContributions).toEqual([]);
    expect((await get<View>('/operations/LATE-NEW?year=2019')).body.latestContributions.map((c) => c.donor)).toEqual(['Sweden']);
    expect((await asOf('2020-06-01T00:00:00Z', 'LATE-OLD')).body.latestContributions.map((c) => c.donor)).toEqual(['Sweden']);
    expect((await asOf('2021-06-01T00:00:00Z', 'LATE-OLD')).body.latestContributions).toEqual([]);
  });

  it('a rebuild, with no revision left recorded, restores the same history and as-of answers', async () => {
    const before = await answers();
    await db.db!.collection(REVISIONS_COLLECTION).deleteMany({});
    expect((await history(refId)).response.status).toBe(404);
    expect((await fetch(`${base}/admin/rebuild`, { method: 'POST' })).status).toBe(202);
    await eventually(
      async () => {
        const body = (await (await fetch(`${base}/admin/rebuild`)).json()) as { phase: string };
        if (body.phase === 'failed') throw new Error(`rebuild failed: ${JSON.stringify(body)}`);
        return body.phase === 'done' ? body : undefined;
      },
      120_000,
      'rebuild done',
    );
    expect(await answers()).toEqual(before);
    expect((await get<View>(`/operations/${code}?year=2018`)).body.latestContributions).toEqual([]);
  });
});
