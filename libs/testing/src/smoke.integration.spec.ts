import { Kafka } from 'kafkajs';
import { Connection, Schema } from 'mongoose';
import { cleanUp, connectTestDb, testInfrastructure, testKafka } from './env';
import { testNamespace } from './namespace';
import { probeKafka, probeMongo } from './probe';

// Proves the infrastructure under every other test is real: a broker that stores and
// serves messages, and a MongoDB-wire server that enforces a unique index.
describe('real infrastructure', () => {
  const ns = testNamespace('smoke');
  let kafka: Kafka;
  let db: Connection;

  beforeAll(async () => {
    kafka = testKafka(ns);
    db = await connectTestDb(ns);
  });

  afterAll(() => cleanUp(ns, kafka, db));

  it('a Kafka broker round-trips a message', async () => {
    const { clusterId } = await probeKafka(testInfrastructure().kafkaBrokers);
    console.log(`Kafka cluster id: ${clusterId}`);
    expect(clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const topic = ns.topic('smoke');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'KAZ', value: 'hello from focus' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: ns.groupId('smoke') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; value: string }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => resolve({ key: String(message.key), value: String(message.value) }),
      });
    });
    await consumer.disconnect();
    expect(received).toEqual({ key: 'KAZ', value: 'hello from focus' });
  });

  it('a MongoDB-wire server writes, reads, and enforces a unique index', async () => {
    const { server } = await probeMongo(testInfrastructure().mongoUrl);
    console.log(`MongoDB-wire server: ${server}`);
    expect(server).toMatch(/^(FerretDB|MongoDB) \d+\.\d+/);

    const Operation = db.model('Operation', new Schema({ code: { type: String, required: true, unique: true }, name: String }));
    await Operation.init(); // builds the unique index before the duplicate is tried
    await Operation.create({ code: 'KAZ', name: 'Kazakhstan' });
    const found = await Operation.findOne({ code: 'KAZ' }).lean();
    expect(found).toMatchObject({ code: 'KAZ', name: 'Kazakhstan' });

    await expect(Operation.create({ code: 'KAZ', name: 'again' })).rejects.toMatchObject({ code: 11000 });
    expect(await Operation.countDocuments()).toBe(1);
  });
});
