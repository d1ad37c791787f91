import { DLQ_HEADERS, dlqTopicOf, TOPICS } from '@focus/contracts';
import { eventually, readAllNow, readTopic } from '@focus/testing';
import { DOMAIN_TOPICS, writeOnEveryTopic } from './domain-writes';
import { FaultStack, metricTotal, openEventStream, startFaultStack, uuidV7 } from './fault-stack';

// Issue 10, item 5: poison messages published straight onto each domain topic end in its
// dead-letter topic, the aggregator's metrics count them, and consumption goes on. The
// gateway reads two of these topics too (contributions.events for the SSE stream,
// operation-view.events to drop cached views): poison there must not stop it either.
const REASONS = ['invalid-envelope', 'invalid-json', 'invalid-payload', 'unknown-type'];

describe('faults: poison messages', () => {
  let f: FaultStack;

  beforeAll(async () => {
    f = await startFaultStack('faults-poison');
  }, 240_000);
  afterAll(async () => f?.close());

  /** Poison of every kind, made from a valid message of the topic: its key, its envelope broken one way each. */
  async function poisonOf(topic: string): Promise<{ ids: string[]; messages: Array<{ key: string | null; value: string }> }> {
    const [valid] = await readTopic(f.kafka, topic, (messages) => messages.length > 0, 60_000);
    const envelope = JSON.parse(valid.value ?? '{}') as {
      type: string;
      data: unknown;
      id: string;
      subject: unknown;
      schemaVersion: number;
    };
    const { subject: _subject, schemaVersion: _schemaVersion, ...withoutSubject } = envelope;
    const ids = [uuidV7(), uuidV7(), uuidV7()];
    return {
      ids,
      messages: [
        { key: valid.key, value: '{"this is": not json' },
        { key: valid.key, value: JSON.stringify({ ...envelope, id: ids[0], data: { nonsense: [1, 2, 3] } }) },
        { key: valid.key, value: JSON.stringify({ ...envelope, id: ids[1], type: envelope.type.replace(/\.[^.]+$/, '.exploded') }) },
        // The envelope itself invalid: no subject (so no entity, no version) and no schemaVersion.
        { key: valid.key, value: JSON.stringify({ ...withoutSubject, id: ids[2] }) },
      ],
    };
  }

  const gatewayEvents = async () =>
    (
      (await (await fetch(`${f.stack.gatewayUrl}/health/ready`)).json()) as {
        checks: { events: { detail: { views: string; contributions: string; cache: boolean } } };
      }
    ).checks.events.detail;
  const gatewayTotal = async () =>
    ((await (await f.read('/operations/KAZ?year=2018')).json()) as { peopleOfConcern?: { total: number } }).peopleOfConcern?.total;

  it('each poison message of each topic is dead-lettered, counted, and a valid event after them is applied; the gateway goes on streaming and dropping stale views', async () => {
    await writeOnEveryTopic(f, 0);
    const aggregator = f.stack.urls['operation-view'];
    // The gateway is following both topics, holds the view in its cache, and a client is on the stream.
    await eventually(
      async () => {
        const events = await gatewayEvents();
        return events.views === 'running' && events.contributions === 'running' && events.cache ? true : undefined;
      },
      60_000,
      "the gateway's consumers running",
    );
    await eventually(async () => ((await gatewayTotal()) === 588 ? true : undefined), 60_000, 'the gateway serves the first view');
    expect(await gatewayTotal()).toBe(588);
    const stream = await openEventStream(f, '/contributions/stream');
    expect(stream.status).toBe(200);

    const poisonIds: string[] = [];
    const producer = f.kafka.producer();
    await producer.connect();
    try {
      for (const topic of [...DOMAIN_TOPICS, TOPICS.operationView].map((name) => f.ns.topic(name))) {
        const { ids, messages } = await poisonOf(topic);
        poisonIds.push(...ids);
        await producer.send({ topic, messages });
      }
    } finally {
      await producer.disconnect();
    }

    for (const name of DOMAIN_TOPICS) {
      const topic = f.ns.topic(name);
      const letters = await readTopic(f.kafka, dlqTopicOf(topic), (messages) => messages.length >= REASONS.length, 60_000);
      expect(letters.map((m) => m.headers[DLQ_HEADERS.reason]).sort()).toEqual(REASONS);
      for (const letter of letters) expect(letter.headers[DLQ_HEADERS.group]).toContain(f.ns.topicPrefix);
      for (const letter of letters) expect(letter.headers[DLQ_HEADERS.topic]).toBe(topic);
      const counted = await eventually(
        async () => {
          const total = await metricTotal(aggregator, 'focus_events_dead_lettered_total', `topic="${topic}"`);
          return total >= REASONS.length ? total : undefined;
        },
        30_000,
        `the aggregator counts the dead letters of ${topic}`,
      );
      expect(counted).toBe(REASONS.length);
    }

    // Consumption goes on: a valid event on every topic after the poison is applied.
    const consumedBefore = new Map<string, number>();
    for (const name of DOMAIN_TOPICS)
      consumedBefore.set(name, await metricTotal(aggregator, 'focus_events_consumed_total', `topic="${f.ns.topic(name)}"`));
    await writeOnEveryTopic(f, 1);
    for (const name of DOMAIN_TOPICS) {
      await eventually(
        async () =>
          (await metricTotal(aggregator, 'focus_events_consumed_total', `topic="${f.ns.topic(name)}"`)) > consumedBefore.get(name)!
            ? true
            : undefined,
        60_000,
        `an event of ${name} after the poison is applied`,
      );
    }
    // Through the gateway, which had the old view cached: the poison on operation-view.events
    // did not stop it from hearing that the view changed.
    await eventually(
      async () => ((await gatewayTotal()) === 589 ? true : undefined),
      60_000,
      'the gateway serves the view with the write made after the poison',
    );
    expect(await readAllNow(f.kafka, dlqTopicOf(f.ns.topic(DOMAIN_TOPICS[0])))).not.toHaveLength(0);

    // The contribution written after the poison on contributions.events reaches the stream; no poison does.
    const after = await eventually(
      async () =>
        stream.received().find((e) => (JSON.parse(e.data) as { data?: { donor?: { name?: string } } }).data?.donor?.name === 'Donor 1'),
      30_000,
      'the contribution made after the poison on the stream',
    );
    expect(JSON.parse(after.data)).toMatchObject({
      type: 'contributions.contribution.recorded',
      data: { donor: { name: 'Donor 1' }, operationCode: 'KAZ' },
    });
    stream.close();
    for (const event of stream.received()) {
      expect(poisonIds).not.toContain(event.id);
      expect((JSON.parse(event.data) as { type: string }).type).toMatch(/^contributions\.contribution\.(recorded|updated|cancelled)$/);
    }
    expect(await gatewayEvents()).toMatchObject({ views: 'running', contributions: 'running', cache: true });
  });
});
