import { createIdempotentProducer, createKafka, KafkaLogSink } from './kafka';

describe('kafkajs logging through createKafka', () => {
  it("leaves kafkajs' warning about an idempotent producer's bounded retries at debug, where it asks nothing of an operator", () => {
    const lines: Array<[string, string]> = [];
    const sink: KafkaLogSink = (level, message) => lines.push([level, message]);
    // Created, not connected: kafkajs warns at creation.
    createIdempotentProducer(createKafka({ clientId: 'logging-test', brokers: ['127.0.0.1:1'] }, sink));
    expect(lines).toEqual([['debug', 'kafkajs: Limiting retries for the idempotent producer may invalidate EoS guarantees']]);
  });
});
