import { Kafka, logLevel, Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { eventually, explained, PrivateKafka, testInfrastructure, testNamespace } from '@focus/testing';
import { EventConsumer } from './consumer/event-consumer';
import { createIdempotentProducer, ensureTopics } from './kafka';
import { withOutbox } from './outbox/outbox-entry';
import { OutboxRelay } from './outbox/outbox-relay';
import { figureEvent } from './testing/fixtures';
import { VersionedStore } from './testing/versioned-store';

// The broker goes away in the middle of a stream of writes and comes back. Writes keep
// landing in their outboxes meanwhile; afterwards every one of them reaches the consumer.
describe('broker stopped and restarted mid-stream', () => {
  const ns = testNamespace('broker-restart');
  const topic = ns.topic('population.events');
  let broker: PrivateKafka;
  let kafka: Kafka;
  let client: MongoClient;
  let relayProducer: Producer;
  let consumerProducer: Producer;

  beforeAll(async () => {
    broker = await PrivateKafka.start();
    kafka = new Kafka({
      clientId: 'restart-test',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 100 },
    });
    client = await new MongoClient(testInfrastructure().mongoUrl).connect();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ topic, partitions: 3, retentionMs: -1 }]);
    await admin.disconnect();
    relayProducer = createIdempotentProducer(kafka);
    consumerProducer = kafka.producer();
  }, 180_000);

  afterAll(async () => {
    // Whatever beforeAll got to: a failed start must report its own error, not this one's.
    await relayProducer?.disconnect().catch(() => undefined);
    await consumerProducer?.disconnect().catch(() => undefined);
    await client?.db(ns.dbName).dropDatabase();
    await client?.close();
    await broker?.destroy();
  });

  it('every event written before, during and after the outage arrives; none is lost', async () => {
    const db = client.db(ns.dbName);
    const owners = db.collection('figures');
    // Kept for a failure's message: why the relay or the consumer did not get through.
    const logs: string[] = [];
    const log = (level: string, message: string) => logs.push(`${new Date().toISOString()} ${level} ${message}`);
    const explain = () => `relay and consumer logs:\n${logs.slice(-40).join('\n')}`;
    const relay = new OutboxRelay({
      log,
      db,
      collections: ['figures'],
      producer: relayProducer,
      topicPrefix: ns.topicPrefix,
      pollIntervalMs: 100,
      sendTimeoutMs: 5_000,
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    const store = new VersionedStore(db.collection('projection'));
    await consumerProducer.connect();
    const consumer = new EventConsumer({
      log,
      kafka,
      groupId: ns.groupId('projection'),
      topics: [topic],
      handler: store,
      producer: consumerProducer,
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    relay.start();
    await consumer.start();

    // Operation codes spread the writes over all partitions; each entity gets two versions.
    const codes = ['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB', 'AFG', 'IRN', 'PAK', 'IND', 'CHN'];
    let written = 0;
    const write = async (round: number) => {
      for (const code of codes) {
        for (let year = 2010; year < 2015; year++) {
          const version = round;
          const event = figureEvent(code, year, 1000 * round + year, version);
          await owners.updateOne({ _id: event.subject.entityId as never }, withOutbox({ $set: { version } }, [event]), { upsert: true });
          written += 1;
        }
      }
      relay.nudge();
    };

    await write(1);
    await explained(
      eventually(
        async () => ((await db.collection('projection').countDocuments()) >= 10 ? true : undefined),
        150_000,
        'first events consumed',
      ),
      explain,
    ); // a generous deadline: a private broker's first group join is slow on a loaded machine
    await broker.pause();
    await write(2); // accepted while the broker is down: they wait in the outboxes
    expect(await owners.countDocuments({ outboxPending: true })).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 2_000)); // the relay and consumer notice and keep retrying
    await broker.resume();

    await explained(
      eventually(
        async () => {
          const rows = await store.snapshot();
          return rows.length === 50 && rows.every((r) => r.version === 2) ? rows : undefined;
        },
        120_000,
        'every entity at version 2 in the projection',
      ),
      explain,
    );
    expect(written).toBe(100);
    expect(await owners.countDocuments({ outboxPending: true })).toBe(0);
    await relay.stop();
    await consumer.stop();
  }, 360_000);
});
