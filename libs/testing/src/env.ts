import { Kafka, logLevel } from 'kafkajs';
import type { EventEnvelope } from '@focus/contracts';
import mongoose, { Connection } from 'mongoose';
import { eventually, readAllNow } from './kafka';
import { TestNamespace } from './namespace';

/** What jest's global setup resolved; a suite run outside it gets told how to run it. */
export function testInfrastructure(): { kafkaBrokers: string[]; mongoUrl: string } {
  const brokers = process.env['KAFKA_BROKERS'];
  const mongoUrl = process.env['MONGO_URL'];
  if (!brokers || !mongoUrl) {
    throw new Error(
      'KAFKA_BROKERS/MONGO_URL are not set: run tests through `npm test` or `npx nx test <project>`, ' +
        'whose global setup (libs/testing) provides the infrastructure.',
    );
  }
  return { kafkaBrokers: brokers.split(','), mongoUrl };
}

export function testKafka(ns: TestNamespace, clientId = 'focus-test'): Kafka {
  return new Kafka({
    clientId: `${ns.topicPrefix}${clientId}`,
    brokers: testInfrastructure().kafkaBrokers,
    logLevel: logLevel.WARN,
    retry: { retries: 5, initialRetryTime: 100 },
  });
}

/** A mongoose connection to the suite's own database. */
export async function connectTestDb(ns: TestNamespace): Promise<Connection> {
  const connection = mongoose.createConnection(testInfrastructure().mongoUrl, {
    dbName: ns.dbName,
    serverSelectionTimeoutMS: 10_000,
  });
  await connection.asPromise();
  return connection;
}

/** Drops the suite's database and topics; safe to call when they were never created. */
export async function cleanUp(ns: TestNamespace, kafka?: Kafka, connection?: Connection): Promise<void> {
  if (connection) {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
  if (kafka) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(ns.topicPrefix));
      if (topics.length) await admin.deleteTopics({ topics });
    } finally {
      await admin.disconnect();
    }
  }
}

/** Environment for an app under test: its own database and topic prefix, any free port. */
export function serviceEnvironment(ns: TestNamespace, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { kafkaBrokers, mongoUrl } = testInfrastructure();
  return {
    PORT: '0',
    MONGO_URL: mongoUrl,
    MONGO_DB: ns.dbName,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: ns.topicPrefix,
    KAFKA_TOPIC_PARTITIONS: '3',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * Every event a service under test has published, read once its outboxes are empty: what a
 * write emitted, or proof that a refused one emitted nothing.
 */
export async function publishedEvents<T = unknown>(
  kafka: Kafka,
  topic: string,
  db: Connection,
  collections: string[],
): Promise<Array<EventEnvelope<T>>> {
  await eventually(
    async () => {
      const pending = await Promise.all(collections.map((c) => db.collection(c).countDocuments({ outboxPending: true })));
      return pending.every((n) => n === 0) ? true : undefined;
    },
    30_000,
    `outboxes of ${collections.join(', ')} drained`,
  );
  return (await readAllNow(kafka, topic)).map((m) => JSON.parse(m.value ?? 'null'));
}
