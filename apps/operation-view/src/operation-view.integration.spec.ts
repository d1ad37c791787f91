import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { ContributionState, createEvent, DLQ_HEADERS, EventEnvelope, eventDefinition, EVENTS, TOPICS } from '@focus/contracts';
import { listen } from '@focus/service-kit';
import { cleanUp, connectTestDb, eventually, readTopic, serviceEnvironment, testKafka, testNamespace } from '@focus/testing';
import { createOperationViewApp, startOperationView } from './app.module';
import { operationViewConfig } from './config';
import { seedEventsFor } from './testing/seed-events';
import { seedState } from './testing/seed-state';
import { buildView } from './view/build-view';

// The aggregator on the real broker and server: the seed page's events in, the seed page's
// view out, unchanged by redelivery and reordering; poison goes to the DLQ. Each event is keyed
// by its subject's operation, as the owners key them.
describe('operation view', () => {
  const ns = testNamespace('operation-view');
  let app: NestFastifyApplication;
  let base: string;
  let kafka: Kafka;
  let producer: Producer;
  let db: Connection;
  const events = seedEventsFor(seedState(), 'KAZ-RO');
  const expected = buildView(seedState(), { code: 'KAZ-RO', year: 2018, lang: 'en', version: 0, updatedAt: new Date(0) });

  async function publish(
    list: Array<EventEnvelope | string>,
    topicOf: (e: EventEnvelope) => string = (e) => eventDefinition(e.type)!.topic,
  ) {
    for (const item of list) {
      const topic = typeof item === 'string' ? TOPICS.budget : topicOf(item);
      const key = typeof item === 'string' ? 'KAZ-RO' : item.subject.operationCode;
      await producer.send({ topic: ns.topic(topic), messages: [{ key, value: typeof item === 'string' ? item : JSON.stringify(item) }] });
    }
  }

  async function view(query = '?year=2018', code = 'KAZ-RO') {
    const response = await fetch(`${base}/operations/${code}${query}`);
    return { response, body: response.status === 200 ? ((await response.json()) as typeof expected) : undefined };
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
  });

  afterAll(async () => {
    await producer.disconnect();
    await app.close();
    await cleanUp(ns, kafka, db);
  });

  it('reproduces every figure of the seed page from its events', async () => {
    await publish(events);
    const { body } = await eventually(
      async () => {
        const result = await view();
        return result.body && result.body.meta.version === events.length ? result : undefined;
      },
      60_000,
      'all seed events projected',
    );
    const { meta: _meta, ...figures } = body!;
    const { meta: _expectedMeta, ...expectedFigures } = expected;
    expect(figures).toEqual(expectedFigures);
    expect(body!.peopleOfConcern.total).toBe(88419);
    expect(body!.budget.budget[0]).toBe(7.40638597);
  });

  it("without a year, shows the latest year with reported figures: the seed page's 2018, not 2019, which has only plans", async () => {
    const byDefault = await view('');
    expect(byDefault.response.status).toBe(200);
    expect(byDefault.body!.year).toBe(2018);
    expect(byDefault.body!.years.at(-1)).toBe(2019);
    expect(byDefault.body).toEqual((await view('?year=2018')).body);
    expect(byDefault.response.headers.get('etag')).toBe((await view('?year=2018')).response.headers.get('etag'));
  });

  it('redelivery in any order changes nothing', async () => {
    const before = (await view()).body!;
    await publish([...events].reverse());
    await publish(events.slice(0, 5));
    // A marker event after the replays: once it is applied, the replays were too.
    const marker = { ...events[0], id: events[0].id, subject: { ...events[0].subject, version: 2 } };
    await publish([marker]);
    const after = await eventually(
      async () => {
        const result = (await view()).body;
        return result && result.meta.version === before.meta.version + 1 ? result : undefined;
      },
      60_000,
      'marker applied',
    );
    const { meta: _a, ...afterFigures } = after;
    const { meta: _b, ...beforeFigures } = before;
    expect(afterFigures).toEqual(beforeFigures);
  });

  it('answers If-None-Match with 304, and lists the operation', async () => {
    const first = await fetch(`${base}/operations/KAZ-RO?year=2018`);
    const etag = first.headers.get('etag')!;
    expect((await fetch(`${base}/operations/KAZ-RO?year=2018`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${base}/operations/KAZ-RO?year=2018&lang=fr`, { headers: { 'if-none-match': etag } })).status).toBe(200);
    const list = (await (await fetch(`${base}/operations`)).json()) as Array<{ code: string; years: number[] }>;
    expect(list).toEqual([expect.objectContaining({ code: 'KAZ-RO', years: [2014, 2015, 2016, 2017, 2018, 2019] })]);
    expect((await fetch(`${base}/operations/KAZ-RO?year=18`)).status).toBe(422);
    expect((await fetch(`${base}/operations/NOPE`)).status).toBe(404);
  });

  it('announces each view change on operation-view.updated', async () => {
    const { version } = (await view()).body!.meta;
    const updates = await readTopic(kafka, ns.topic(TOPICS.operationView), (m) =>
      m.some((u) => JSON.parse(u.value!).data.version === version),
    );
    const announced = updates.map((u) => JSON.parse(u.value!) as EventEnvelope<{ operationCode: string; version: number }>);
    expect(announced.at(-1)).toMatchObject({ type: 'operation-view.updated', subject: { operationCode: 'KAZ-RO' }, data: { version } });
    // Batched: one announcement per batch that changed the view, not one per event.
    expect(announced.length).toBeLessThanOrEqual(events.length);
    expect(announced.map((a) => a.data!.version)).toEqual([...announced.map((a) => a.data!.version)].sort((a, b) => a - b));
  });

  it('sends poison to the DLQ and keeps consuming', async () => {
    const before = (await view()).body!.meta.version;
    await publish(['{"this is": "not an event"']);
    const fresh = { ...events[0], subject: { ...events[0].subject, version: 3 } };
    await publish([fresh]);
    await eventually(
      async () => ((await view()).body!.meta.version === before + 1 ? true : undefined),
      60_000,
      'event after poison applied',
    );
    const [letter] = await readTopic(kafka, ns.topic(`${TOPICS.budget}.dlq`), (m) => m.length >= 1);
    expect(letter.headers[DLQ_HEADERS.reason]).toBe('invalid-json');
    const ready = await fetch(`${base}/health/ready`);
    expect(await ready.json()).toMatchObject({ checks: { consumer: { ok: true } } });
  });

  it("a re-earmarked contribution leaves the old operation's view for the new one, in any order, with duplicates", async () => {
    const id = '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3';
    const norway = (operationCode: string): ContributionState => ({
      id,
      donor: { name: 'Norway', type: 'government' },
      date: '2019-07-08',
      operationCode,
      status: 'paid',
    });
    const subject = (operationCode: string, version: number) => ({ operationCode, entityId: id, version });
    // What the contributions service publishes: the change under the new key, "moved" under the old.
    const recorded = createEvent(EVENTS.contributionsContributionRecorded, { subject: subject('MOVE-OLD', 1), data: norway('MOVE-OLD') });
    const updated = createEvent(EVENTS.contributionsContributionUpdated, { subject: subject('MOVE-NEW', 2), data: norway('MOVE-NEW') });
    const moved = createEvent(EVENTS.contributionsContributionMoved, { subject: subject('MOVE-OLD', 2), data: norway('MOVE-NEW') });
    const sweden = {
      id: '016bd1e3-4160-7f49-b0eb-98683e221414',
      donor: { name: 'Sweden', type: 'government' as const },
      date: '2019-07-01',
      operationCode: 'MOVE-OLD',
      status: 'paid' as const,
    };
    const marker = createEvent(EVENTS.contributionsContributionRecorded, {
      subject: { operationCode: 'MOVE-OLD', entityId: sweden.id, version: 1 },
      data: sweden,
    });

    // The move reaches the old view before the first earmark does, and the first earmark comes
    // again afterwards; the marker, on the same key and partition, is applied after all of them.
    await publish([moved, recorded, updated, recorded, moved, updated, marker]);
    const donors = async (code: string) => (await view('?year=2019', code)).body?.latestContributions.map((c) => c.donor);
    const old = await eventually(
      async () => ((await donors('MOVE-OLD'))?.includes('Sweden') ? donors('MOVE-OLD') : undefined),
      60_000,
      'the marker applied',
    );
    expect(old).toEqual(['Sweden']);
    expect(
      await eventually(async () => ((await donors('MOVE-NEW'))?.length ? donors('MOVE-NEW') : undefined), 60_000, 'the new view'),
    ).toEqual(['Norway']);
  });
});
