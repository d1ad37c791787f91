import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AssignerProtocol, Kafka, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { EventEnvelope, eventDefinition } from '@focus/contracts';
import { MessagingMetrics } from '@focus/messaging';
import { canonicalJson, listen } from '@focus/service-kit';
import { cleanUp, connectTestDb, eventually, serviceEnvironment, testKafka, testNamespace } from '@focus/testing';
import { createOperationViewApp, startOperationView } from './app.module';
import { operationViewConfig } from './config';
import { viewVersion } from './projection/operation-state';
import { sourceTopics } from './projection/source-topics';
import { seedEventsFor } from './testing/seed-events';
import { seedState } from './testing/seed-state';
import { buildView } from './view/build-view';

/** One event of each list in turn: every operation's events spread over the whole stream. */
function interleave<T>(lists: T[][]): T[] {
  const longest = Math.max(...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, i) => lists.flatMap((list) => (i < list.length ? [list[i]] : []))).flat();
}

// Two instances in one consumer group, one leaving mid-stream, and a rebuild swapped in while
// writes go on: nothing lost, nothing doubled, the same views as one in-order delivery.
describe('operation view: scale-out, rebalance and rebuild', () => {
  const ns = testNamespace('view-rebuild');
  const codes = Array.from({ length: 12 }, (_, i) => `OP-${String(i).padStart(2, '0')}`);
  const expectedVersion = viewVersion(seedState());
  const config = operationViewConfig(serviceEnvironment(ns));
  const groupId = `${config.KAFKA_TOPIC_PREFIX}${config.CONSUMER_GROUP}`;
  const sourcePartitions = sourceTopics(config.KAFKA_TOPIC_PREFIX).length * config.KAFKA_TOPIC_PARTITIONS;
  let kafka: Kafka;
  let producer: Producer;
  let db: Connection;
  const apps: NestFastifyApplication[] = [];
  let base: string;

  async function startInstance(): Promise<string> {
    const config = operationViewConfig(serviceEnvironment(ns));
    const app = await createOperationViewApp(config);
    await startOperationView(app);
    apps.push(app);
    return listen(app, config, '127.0.0.1');
  }

  async function publish(events: EventEnvelope[]) {
    for (const event of events) {
      await producer.send({
        topic: ns.topic(eventDefinition(event.type)!.topic),
        messages: [{ key: event.subject.operationCode, value: JSON.stringify(event) }],
      });
    }
  }

  async function views(url: string): Promise<Map<string, { version: number; json: string }>> {
    const list = (await (await fetch(`${url}/operations`)).json()) as Array<{ code: string }>;
    const result = new Map<string, { version: number; json: string }>();
    for (const { code } of list) {
      const view = (await (await fetch(`${url}/operations/${code}?year=2018`)).json()) as { meta: { version: number; updatedAt?: string } };
      const { meta, ...rest } = view;
      result.set(code, { version: meta.version, json: canonicalJson(rest) });
    }
    return result;
  }

  /** How many source partitions each member of the aggregator's group holds, as the broker says. */
  async function partitionsPerMember(): Promise<number[] | undefined> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      if (groups[0]?.state !== 'Stable') return undefined; // a rebalance in progress
      return groups[0].members.map((member) => {
        const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {};
        return Object.values(assignment).reduce((sum, partitions) => sum + partitions.length, 0);
      });
    } finally {
      await admin.disconnect();
    }
  }

  const split = (members: number) => async () => {
    const held = await partitionsPerMember();
    return held && held.length === members && held.every((n) => n > 0) ? held : undefined;
  };

  /** Events an instance applied (handled with an effect), from its own metrics. */
  const applied = (app: NestFastifyApplication) => MessagingMetrics.total(app.get(MessagingMetrics, { strict: false }).consumed);

  /** The view one in-order delivery of an operation's events makes, as GET returns it (meta aside). */
  const inOrderView = (code: string) => {
    const { meta: _meta, ...rest } = buildView(seedState(code), {
      code,
      year: 2018,
      lang: 'en',
      version: expectedVersion,
      updatedAt: new Date(0),
    });
    return JSON.parse(JSON.stringify(rest)) as unknown;
  };

  const allComplete = (url: string) => async () => {
    const current = await views(url);
    return codes.every((code) => current.get(code)?.version === expectedVersion) ? current : undefined;
  };

  beforeAll(async () => {
    kafka = testKafka(ns);
    db = await connectTestDb(ns);
    producer = kafka.producer();
    await producer.connect();
    base = await startInstance();
    await startInstance();
  });

  afterAll(async () => {
    await producer.disconnect();
    for (const app of apps) await app.close().catch(() => undefined);
    await cleanUp(ns, kafka, db);
  });

  it('two instances split the partitions; one leaving mid-stream loses and doubles nothing', async () => {
    // Both instances hold source partitions, and between them all of them.
    const held = await eventually(split(2), 60_000, 'both instances assigned partitions');
    expect(held.reduce((sum, n) => sum + n, 0)).toBe(sourcePartitions);

    const events = interleave(codes.map((code) => seedEventsFor(seedState(code), code)));
    const half = Math.floor(events.length / 2);
    await publish(events.slice(0, half));
    // Both apply part of the stream: the work is split, not only the assignment.
    await eventually(
      async () => ((await Promise.all(apps.map(applied))).every((n) => n > 0) ? true : undefined),
      60_000,
      'both instances applied events',
    );

    // The second instance leaves mid-stream: its partitions move to the first (a rebalance).
    await apps[1].close();
    expect(await eventually(split(1), 60_000, 'the first instance holds every partition')).toEqual([sourcePartitions]);
    await publish(events.slice(half));
    await publish(events.slice(0, 40)); // and some redelivery on top
    const final = await eventually(allComplete(base), 120_000, 'every operation complete');
    for (const code of codes) expect({ code, view: JSON.parse(final.get(code)!.json) }).toEqual({ code, view: inOrderView(code) });
  });

  it('a rebuild replays every topic into a fresh collection and swaps it in while writes go on', async () => {
    const before = await views(base);
    const started = await fetch(`${base}/admin/rebuild`, { method: 'POST' });
    expect(started.status).toBe(202);
    // A write during the rebuild: a newer version of one figure of one operation.
    const [first] = seedEventsFor(seedState(codes[3]), codes[3]).filter((e) => e.type === 'population.figure.upserted');
    const revised = { ...first, id: first.id, subject: { ...first.subject, version: 2 }, data: { ...(first.data as object), value: 590 } };
    await publish([revised as EventEnvelope]);
    const status = await eventually(
      async () => {
        const response = await fetch(`${base}/admin/rebuild`);
        const body = (await response.json()) as { phase: string; collection: string; eventsRead: number; eventsAtStart: number };
        if (body.phase === 'failed') throw new Error(`rebuild failed: ${JSON.stringify(body)}`);
        return body.phase === 'done' ? body : undefined;
      },
      120_000,
      'rebuild done',
    );
    expect(status.collection).toMatch(/^operation_views_\d+$/);
    expect(status.eventsRead).toBeGreaterThanOrEqual(status.eventsAtStart);

    const after = await eventually(
      async () => {
        const current = await views(base);
        return current.get(codes[3])?.version === expectedVersion + 1 ? current : undefined;
      },
      60_000,
      'the write made during the rebuild is in the new generation',
    );
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const code of codes.filter((c) => c !== codes[3])) expect(after.get(code)).toEqual(before.get(code));
    expect(JSON.parse(after.get(codes[3])!.json).peopleOfConcern.total).toBe(
      JSON.parse(before.get(codes[3])!.json).peopleOfConcern.total + 2,
    );
    const collections = (await db.db!.listCollections().toArray()).map((c) => c.name);
    expect(collections).toContain(status.collection);
  });
});
