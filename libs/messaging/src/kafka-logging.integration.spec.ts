import { cleanUp, createTopics, testInfrastructure, testKafka, testNamespace } from '@focus/testing';
import { createIdempotentProducer, createKafka, KafkaLogSink } from './kafka';

// What kafkajs logs reaches an app's log at the level an operator should read it at.
describe('kafkajs logging through createKafka, on a real broker', () => {
  const ns = testNamespace('kafka-logging');
  const lines: Array<[string, string]> = [];
  const sink: KafkaLogSink = (level, message) => lines.push([level, message]);
  const kafka = createKafka({ clientId: ns.groupId('logging'), brokers: testInfrastructure().kafkaBrokers }, sink);

  beforeEach(() => {
    lines.length = 0;
  });

  afterAll(async () => {
    await cleanUp(ns, testKafka(ns));
  });

  it("leaves kafkajs' warning about an idempotent producer's bounded retries at debug, where it asks nothing of an operator", () => {
    // Created, not connected: kafkajs warns at creation.
    createIdempotentProducer(kafka);
    expect(lines).toEqual([['debug', 'kafkajs: Limiting retries for the idempotent producer may invalidate EoS guarantees']]);
  });

  it('logs an error a broker answers one request with as a warning: kafkajs retries it, handles it or hands it to its caller', async () => {
    const topic = ns.topic('taken');
    await createTopics(testKafka(ns), [topic], 1);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Another app created it first: the broker answers TOPIC_ALREADY_EXISTS, which kafkajs
      // logs as an error and then takes as "nothing created".
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] })).toBe(false);
    } finally {
      await admin.disconnect();
    }
    const responses = lines.filter(([, message]) => message.startsWith('kafkajs: Response CreateTopics'));
    expect(responses.length).toBeGreaterThan(0);
    expect(new Set(responses.map(([level]) => level))).toEqual(new Set(['warn']));
  });
});
