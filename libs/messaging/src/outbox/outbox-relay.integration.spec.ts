import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Kafka, Producer } from 'kafkajs';
import { Db, MongoClient } from 'mongodb';
import { EventEnvelope } from '@focus/contracts';
import { cleanUp, createTopics, readAllNow, readTopic, testInfrastructure, testKafka, testNamespace } from '@focus/testing';
import { createIdempotentProducer } from '../kafka';
import { figureEvent } from '../testing/fixtures';
import { withOutbox } from './outbox-entry';
import { OutboxRelay } from './outbox-relay';

const workspaceRoot = resolve(__dirname, '../../../..');

describe('outbox relay on a real broker and server', () => {
  const ns = testNamespace('outbox');
  const topic = ns.topic('population.events');
  let kafka: Kafka;
  let client: MongoClient;
  let producer: Producer;

  beforeAll(async () => {
    kafka = testKafka(ns);
    client = await new MongoClient(testInfrastructure().mongoUrl).connect();
    producer = createIdempotentProducer(kafka);
    await producer.connect();
    await createTopics(kafka, [topic]);
  });

  afterAll(async () => {
    await producer.disconnect();
    await client.close();
    await cleanUp(ns, kafka);
  });

  /** A database per test: each crash scenario starts from nothing. */
  function freshDb(name: string): Db {
    return client.db(`${ns.dbName}_${name}`);
  }

  it('publishes what a write left in its outbox, keyed by operation, in write order, then clears it', async () => {
    const db = freshDb('order');
    const figures = db.collection('figures');
    const events = [1, 2, 3].map((version) => figureEvent('KAZ', 2018, 500 + version, version));
    for (const event of events) {
      await figures.updateOne({ _id: event.subject.entityId as never }, withOutbox({ $set: { version: event.subject.version } }, [event]), {
        upsert: true,
      });
    }

    const relay = new OutboxRelay({ db, collections: ['figures'], producer, topicPrefix: ns.topicPrefix });
    expect(await figures.countDocuments({ outboxPending: true })).toBe(1);
    expect(await relay.drain()).toBe(3);

    const read = await readTopic(kafka, topic, (m) => m.length >= 3);
    expect(read.map((m) => m.key)).toEqual(['KAZ', 'KAZ', 'KAZ']);
    expect(read.map((m) => (JSON.parse(m.value!) as EventEnvelope).id)).toEqual(events.map((e) => e.id));
    expect(read[0].headers['event-type']).toBe('population.figure.upserted');
    expect(await figures.findOne({}, { projection: { outbox: 1, outboxPending: 1 } })).toMatchObject({ outbox: [], outboxPending: false });
    expect(await figures.countDocuments({ outboxPending: true })).toBe(0);
  });

  it('reads hinted documents by _id, finds unhinted ones by its search, and reports what it knows without counting', async () => {
    const db = freshDb('hints');
    const figures = db.collection('figures');
    const events = [2016, 2017, 2018].map((year) => figureEvent('KGZ', year, 100 + year, 1));
    for (const event of events) {
      await figures.updateOne({ _id: event.subject.entityId as never }, withOutbox({ $set: { version: 1 } }, [event]), { upsert: true });
    }

    const relay = new OutboxRelay({ db, collections: ['figures'], producer, topicPrefix: ns.topicPrefix });
    expect(relay.observedBacklog()).toEqual({}); // never looked, nothing hinted
    // Two writers say where they wrote (one id twice, and one id with nothing pending); the third says nothing.
    relay.nudge({ collection: 'figures', ids: [events[0].subject.entityId, events[1].subject.entityId] });
    relay.nudge({ collection: 'figures', ids: [events[0].subject.entityId, 'KGZ:1999:REF'] });
    expect(relay.observedBacklog()).toEqual({ figures: 3 });

    expect(await relay.drain()).toBe(3);
    const read = await readTopic(kafka, topic, (m) => m.filter((x) => x.key === 'KGZ').length >= 3);
    expect(
      read
        .filter((m) => m.key === 'KGZ')
        .map((m) => (JSON.parse(m.value!) as EventEnvelope).id)
        .sort(),
    ).toEqual(events.map((e) => e.id).sort());
    expect(relay.observedBacklog()).toEqual({ figures: 0 });
    expect(await figures.countDocuments({ outboxPending: true })).toBe(0);
    expect(await relay.drain()).toBe(0); // published once each
  });

  it('a relay killed between the write and the publish publishes the event after restart', async () => {
    const db = freshDb('before');
    const crash = await runCrashingWriter('outbox-before-publish', db.databaseName, ns.topicPrefix + 'before.');
    expect(crash.signal).toBe('SIGKILL');
    const pending = await db.collection('figures').findOne({});
    expect(pending?.['outbox']).toHaveLength(1);

    await createTopics(kafka, [ns.topicPrefix + 'before.population.events']);
    const restarted = new OutboxRelay({ db, collections: ['figures'], producer, topicPrefix: ns.topicPrefix + 'before.' });
    await restarted.drain();
    const read = await readAllNow(kafka, ns.topicPrefix + 'before.population.events');
    expect(lostWrites(await db.collection('figures').find().toArray(), read)).toEqual([]);
    expect(read).toHaveLength(1);
  });

  it('a relay killed after publishing, before clearing, publishes again: a duplicate, never a loss', async () => {
    const db = freshDb('after');
    const prefix = ns.topicPrefix + 'after.';
    await createTopics(kafka, [prefix + 'population.events']);
    const crash = await runCrashingWriter('outbox-after-publish', db.databaseName, prefix);
    expect(crash.signal).toBe('SIGKILL');

    await new OutboxRelay({ db, collections: ['figures'], producer, topicPrefix: prefix }).drain();
    const read = await readTopic(kafka, prefix + 'population.events', (m) => m.length >= 2);
    const ids = read.map((m) => (JSON.parse(m.value!) as EventEnvelope).id);
    expect(new Set(ids).size).toBe(1); // the same event twice: consumers dedupe it by version
    expect(lostWrites(await db.collection('figures').find().toArray(), read)).toEqual([]);
  });

  it('detects loss: a write published directly, killed before publishing, loses its event', async () => {
    // The control experiment: without an outbox the same crash loses the event, and the
    // check used above reports it. A test that could not see loss would prove nothing.
    const db = freshDb('direct');
    const prefix = ns.topicPrefix + 'direct.';
    await createTopics(kafka, [prefix + 'population.events']);
    const crash = await runCrashingWriter('direct-before-publish', db.databaseName, prefix);
    expect(crash.signal).toBe('SIGKILL');

    await new OutboxRelay({ db, collections: ['figures'], producer, topicPrefix: prefix }).drain();
    const read = await readAllNow(kafka, prefix + 'population.events');
    expect(lostWrites(await db.collection('figures').find().toArray(), read)).toEqual(['KAZ:2018:REF']);
  });

  function runCrashingWriter(
    mode: string,
    dbName: string,
    topicPrefix: string,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const { kafkaBrokers, mongoUrl } = testInfrastructure();
    return new Promise((resolvePromise, reject) => {
      // node itself with tsx as a loader: the process we kill is the one that writes.
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../testing/crashing-writer.ts')], {
        cwd: workspaceRoot,
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: resolve(workspaceRoot, 'tsconfig.base.json'),
          MODE: mode,
          DB_NAME: dbName,
          TOPIC_PREFIX: topicPrefix,
          MONGO_URL: mongoUrl,
          KAFKA_BROKERS: kafkaBrokers.join(','),
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolvePromise({ code, signal }));
    });
  }
});

/** Owner documents whose current version never reached the topic. */
function lostWrites(owners: Array<Record<string, unknown>>, read: Array<{ value: string | null }>): string[] {
  const published = new Set(
    read.map((m) => JSON.parse(m.value!) as EventEnvelope).map((e) => `${e.subject.entityId}@${e.subject.version}`),
  );
  return owners.filter((o) => !published.has(`${String(o['_id'])}@${String(o['version'])}`)).map((o) => String(o['_id']));
}
