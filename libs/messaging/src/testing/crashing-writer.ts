/**
 * A service's write path, run as a child process and killed with SIGKILL at one chosen
 * point, so the crash tests exercise a real process death rather than a thrown error.
 *
 *   MODE=outbox-before-publish  write owner + outbox entry, relay dies before publishing
 *   MODE=outbox-after-publish   relay publishes, dies before removing the entry
 *   MODE=direct-before-publish  no outbox: write the owner, die before publishing directly
 */
import { MongoClient } from 'mongodb';
import { Kafka, Producer } from 'kafkajs';
import { OutboxRelay } from '../outbox/outbox-relay';
import { withOutbox } from '../outbox/outbox-entry';
import { figureEvent } from './fixtures';

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

async function main() {
  const { MONGO_URL, KAFKA_BROKERS, DB_NAME, TOPIC_PREFIX, MODE } = process.env as Record<string, string>;
  const client = await new MongoClient(MONGO_URL).connect();
  const db = client.db(DB_NAME);
  const event = figureEvent('KAZ', 2018, 588, 1);
  const owner = { $set: { operationCode: 'KAZ', year: 2018, type: 'REF', value: 588, version: 1 } };

  if (MODE === 'direct-before-publish') {
    await db.collection('figures').updateOne({ _id: event.subject.entityId as never }, owner, { upsert: true });
    die();
  }

  await db.collection('figures').updateOne({ _id: event.subject.entityId as never }, withOutbox(owner, [event]), { upsert: true });
  const producer = new Kafka({ clientId: 'crashing-writer', brokers: KAFKA_BROKERS.split(',') }).producer({
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const dying: Producer = {
    ...producer,
    sendBatch: async (batch) => {
      if (MODE === 'outbox-before-publish') die();
      const result = await producer.sendBatch(batch);
      die();
      return result;
    },
  };
  const relay = new OutboxRelay({ db, collections: ['figures'], producer: dying, topicPrefix: TOPIC_PREFIX });
  await relay.drain();
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
