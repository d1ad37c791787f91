import { ConfigResourceTypes, Kafka, Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { DLQ_HEADERS, DLQ_VALUE_OMITTED, EventEnvelope } from '@focus/contracts';
import { cleanUp, createTopics, eventually, readTopic, testInfrastructure, testKafka, testNamespace } from '@focus/testing';
import { PermanentError } from '../errors';
import { MessagingMetrics } from '../metrics';
import { figureEvent } from '../testing/fixtures';
import { VersionedStore } from '../testing/versioned-store';
import { committedOffsets } from './group-progress';
import { EventConsumer, EventHandler } from './event-consumer';

describe('event consumer on a real broker and server', () => {
  const ns = testNamespace('consumer');
  let kafka: Kafka;
  let client: MongoClient;
  let producer: Producer;
  const running: EventConsumer[] = [];

  beforeAll(async () => {
    kafka = testKafka(ns);
    client = await new MongoClient(testInfrastructure().mongoUrl).connect();
    producer = kafka.producer();
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await producer.disconnect();
    await client.db(ns.dbName).dropDatabase();
    await client.close();
    await cleanUp(ns, kafka);
  });

  async function consume(name: string, topic: string, handler: EventHandler, metrics = new MessagingMetrics()) {
    const consumer = new EventConsumer({
      kafka,
      groupId: ns.groupId(name),
      topics: [topic],
      handler,
      producer,
      metrics,
      backoff: { initialMs: 10, maxMs: 50 },
      maxAttempts: 3,
    });
    running.push(consumer);
    await consumer.start();
    return { consumer, metrics };
  }

  async function publish(topic: string, values: Array<string | EventEnvelope>) {
    await producer.send({
      topic,
      messages: values.map((v) => ({ key: 'KAZ', value: typeof v === 'string' ? v : JSON.stringify(v) })),
    });
  }

  it('duplicate and stale deliveries leave the state one in-order delivery leaves', async () => {
    const [v1, v2, v3] = [1, 2, 3].map((version) => figureEvent('KAZ', 2018, 580 + version, version));
    const other = figureEvent('KGZ', 2018, 7, 1);
    const inOrder = ns.topic('in-order');
    const messy = ns.topic('messy');
    await createTopics(kafka, [inOrder, messy], 1);

    const reference = new VersionedStore(client.db(ns.dbName).collection('in_order'));
    await publish(inOrder, [v1, other, v2, v3]);
    await consume('in-order', inOrder, reference);

    const store = new VersionedStore(client.db(ns.dbName).collection('messy'));
    const { metrics } = await consume('messy', messy, store);
    await publish(messy, [v2, v1, other, v3, v2, v3, other, v1]);

    await eventually(async () => (store.seen.length === 8 && reference.seen.length === 4 ? true : undefined));
    expect(await store.snapshot()).toEqual(await reference.snapshot());
    expect((await reference.snapshot()).find((r) => r._id === 'KAZ:2018:REF')).toMatchObject({ version: 3 });
    expect(await MessagingMetrics.total(metrics.consumed)).toBe(3); // v2, other, v3
    expect(await MessagingMetrics.total(metrics.skipped)).toBe(5);
  });

  it('malformed JSON, schema-invalid and unknown-type messages go to the DLQ with headers; the next valid one is processed', async () => {
    const topic = ns.topic('poison');
    await createTopics(kafka, [topic, `${topic}.dlq`], 1);
    const valid = figureEvent('KAZ', 2017, 100, 1);
    const schemaInvalid = { ...figureEvent('KAZ', 2016, 1, 1), data: { ...valid.data, value: '588' } };
    const unknownType = { ...figureEvent('KAZ', 2016, 1, 1), type: 'population.figure.exploded' };
    await publish(topic, ['{"not json', JSON.stringify(schemaInvalid), JSON.stringify(unknownType), valid]);

    const store = new VersionedStore(client.db(ns.dbName).collection('poison'));
    const { metrics } = await consume('poison', topic, store);

    const letters = await readTopic(kafka, `${topic}.dlq`, (m) => m.length >= 3);
    expect(letters.map((m) => m.headers[DLQ_HEADERS.reason])).toEqual(['invalid-json', 'invalid-payload', 'unknown-type']);
    expect(letters.map((m) => m.headers[DLQ_HEADERS.offset])).toEqual(['0', '1', '2']);
    for (const letter of letters) {
      expect(letter.headers).toMatchObject({
        [DLQ_HEADERS.topic]: topic,
        [DLQ_HEADERS.partition]: '0',
        [DLQ_HEADERS.group]: ns.groupId('poison'),
      });
      expect(letter.headers[DLQ_HEADERS.error]).not.toBe('');
      expect(letter.key).toBe('KAZ');
    }
    expect(letters[0].value).toBe('{"not json'); // the original bytes, untouched
    expect(letters[1].headers[DLQ_HEADERS.error]).toMatch(/value/);

    await eventually(async () => ((await store.snapshot()).length === 1 ? true : undefined));
    expect(await store.snapshot()).toEqual([{ _id: 'KAZ:2017:REF', version: 1, data: valid.data }]);
    expect(await MessagingMetrics.total(metrics.deadLettered)).toBe(3);
  });

  it('a crash kafkajs gives up on (a dead letter the broker refuses) is started again, and nothing is skipped once it can go on', async () => {
    const topic = ns.topic('refused-letter');
    const admin = kafka.admin();
    await admin.connect();
    try {
      await createTopics(kafka, [topic], 1);
      // The DLQ takes nothing bigger than 100 bytes: the letter (original bytes and headers) is refused, not retriably.
      await admin.createTopics({
        topics: [{ topic: `${topic}.dlq`, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '100' }] }],
      });
      const poison = `{"not json ${'x'.repeat(200)}`;
      const valid = figureEvent('KAZ', 2015, 42, 1);
      await publish(topic, [poison, valid]);

      const store = new VersionedStore(client.db(ns.dbName).collection('refused_letter'));
      const { consumer } = await consume('refused-letter', topic, store);
      await eventually(async () => (consumer.health().state === 'crashed' ? true : undefined), 30_000, 'the crash');
      expect(consumer.health().healthy).toBe(false);
      expect(await store.snapshot()).toEqual([]);

      // The operator fixes the DLQ; the same consumer goes on by itself, from the poison on.
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: `${topic}.dlq`, configEntries: [{ name: 'max.message.bytes', value: '1048588' }] },
        ],
      });
      const letters = await readTopic(kafka, `${topic}.dlq`, (m) => m.length >= 1, 90_000);
      expect(letters.map((m) => m.value)).toEqual([poison]);
      await eventually(async () => ((await store.snapshot()).length === 1 ? true : undefined), 30_000, 'the valid event after the poison');
      expect(await store.snapshot()).toEqual([{ _id: 'KAZ:2015:REF', version: 1, data: valid.data }]);
      await eventually(async () => (consumer.health().state === 'running' ? true : undefined), 30_000, 'running again');
    } finally {
      await admin.disconnect();
    }
  }, 150_000);

  it('a letter too big for its DLQ goes there without its value, which stays findable on its topic, and the consumer goes on', async () => {
    const topic = ns.topic('oversized-letter');
    await createTopics(kafka, [topic], 1);
    // The source takes the poison; the DLQ takes the letter's headers but not the poison with them.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic: `${topic}.dlq`, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '4096' }] }],
      });
    } finally {
      await admin.disconnect();
    }
    const poison = `{"not json ${'x'.repeat(8_000)}`;
    const valid = figureEvent('KAZ', 2016, 7, 1);
    await publish(topic, [poison, valid]);

    const store = new VersionedStore(client.db(ns.dbName).collection('oversized_letter'));
    await consume('oversized-letter', topic, store);
    const [letter] = await readTopic(kafka, `${topic}.dlq`, (m) => m.length >= 1);
    expect(letter.value).toBeNull();
    expect(letter.headers).toMatchObject({
      [DLQ_VALUE_OMITTED]: String(Buffer.byteLength(poison)),
      [DLQ_HEADERS.topic]: topic,
      [DLQ_HEADERS.partition]: '0',
      [DLQ_HEADERS.offset]: '0',
      [DLQ_HEADERS.reason]: 'invalid-json',
    });
    const [original] = await readTopic(kafka, topic, (m) => m.length >= 1);
    expect(original).toMatchObject({ offset: letter.headers[DLQ_HEADERS.offset], value: poison });
    await eventually(async () => ((await store.snapshot()).length === 1 ? true : undefined), 30_000, 'the valid event after the poison');
    expect(await store.snapshot()).toEqual([{ _id: 'KAZ:2016:REF', version: 1, data: valid.data }]);
  });

  it('retries a failing handler with backoff, and dead-letters one that keeps failing or fails permanently', async () => {
    const topic = ns.topic('retries');
    await createTopics(kafka, [topic, `${topic}.dlq`], 1);
    const flaky = figureEvent('KAZ', 2015, 1, 1);
    const doomed = figureEvent('KAZ', 2014, 1, 1);
    const refused = figureEvent('KAZ', 2013, 1, 1);
    const attempts = new Map<number, number>();
    const handled: number[] = [];
    const handler: EventHandler = {
      handle: async (event) => {
        const year = (event.data as { year: number }).year;
        attempts.set(year, (attempts.get(year) ?? 0) + 1);
        if (year === 2015 && attempts.get(year)! < 3) throw new Error('transient hiccup');
        if (year === 2014) throw new Error('always broken');
        if (year === 2013) throw new PermanentError('violates a domain rule');
        handled.push(year);
        return 'applied';
      },
    };
    await publish(topic, [flaky, doomed, refused]);
    await consume('retries', topic, handler);

    const letters = await readTopic(kafka, `${topic}.dlq`, (m) => m.length >= 2);
    expect(letters.map((m) => [m.headers[DLQ_HEADERS.reason], m.headers[DLQ_HEADERS.attempts]])).toEqual([
      ['retries-exhausted', '3'],
      ['permanent-error', '1'],
    ]);
    expect(handled).toEqual([2015]);
    expect(attempts.get(2015)).toBe(3);
  });

  it('commits only after the effect: a restarted consumer resumes after the last handled message', async () => {
    const topic = ns.topic('resume');
    await createTopics(kafka, [topic], 1);
    const first = new VersionedStore(client.db(ns.dbName).collection('resume'));
    await publish(topic, [figureEvent('KAZ', 2012, 1, 1), figureEvent('KAZ', 2011, 1, 1)]);
    const { consumer } = await consume('resume', topic, first);
    await eventually(async () => (first.seen.length === 2 ? true : undefined));
    // Handled is not yet committed: the commit follows the batch. Stop once it has landed.
    const admin = kafka.admin();
    await admin.connect();
    await eventually(async () =>
      (await committedOffsets(admin, ns.groupId('resume'), [topic])).get(`${topic}/0`) === 2 ? true : undefined,
    );
    await admin.disconnect();
    await consumer.stop();

    const second = new VersionedStore(client.db(ns.dbName).collection('resume'));
    await publish(topic, [figureEvent('KAZ', 2010, 1, 1)]);
    await consume('resume', topic, second);
    await eventually(async () => (second.seen.length >= 1 ? true : undefined));
    expect(second.seen).toEqual(['KAZ:2010:REF@1']);
  });

  it('hands valid events over in batches; a failing batch falls back to one by one, and only the culprit is dead-lettered', async () => {
    const topic = ns.topic('batches');
    await createTopics(kafka, [topic, `${topic}.dlq`], 1);
    const good = [2001, 2002, 2003, 2004].map((year) => figureEvent('KAZ', year, 1, 1));
    const culprit = figureEvent('KAZ', 1999, 1, 1);
    const store = new VersionedStore(client.db(ns.dbName).collection('batches'));
    const batchSizes: number[] = [];
    const handler: EventHandler = {
      handle: async (event) => {
        if ((event.data as { year: number }).year === 1999) throw new PermanentError('a domain rule says no');
        return store.handle(event);
      },
      handleBatch: async (items) => {
        batchSizes.push(items.length);
        if (items.some(({ event }) => (event.data as { year: number }).year === 1999)) throw new Error('one of these is bad');
        return Promise.all(items.map(({ event }) => store.handle(event)));
      },
    };
    await publish(topic, [good[0], good[1], '{"broken', culprit, good[2]]);
    const { metrics } = await consume('batches', topic, handler);
    const letters = await readTopic(kafka, `${topic}.dlq`, (m) => m.length >= 2);
    expect(letters.map((m) => m.headers[DLQ_HEADERS.reason])).toEqual(['invalid-json', 'permanent-error']);
    await eventually(async () => ((await store.snapshot()).length === 3 ? true : undefined));

    await publish(topic, [good[3], good[0]]);
    await eventually(async () => ((await store.snapshot()).length === 4 ? true : undefined));
    expect((await store.snapshot()).map((r) => r._id)).toEqual(['KAZ:2001:REF', 'KAZ:2002:REF', 'KAZ:2003:REF', 'KAZ:2004:REF']);
    // The first batch held the four valid events (the broken JSON never reaches a handler).
    expect(batchSizes[0]).toBe(4);
    expect(await MessagingMetrics.total(metrics.consumed)).toBe(4);
    expect(await MessagingMetrics.total(metrics.skipped)).toBe(1);
  });
});
