import { createKafka } from '@focus/messaging';
import { KafkaReadiness } from './kafka-readiness';

// The ready case runs against the real broker in every service's integration suite
// (`checks.kafka.ok`); here, the answer when nothing listens.
describe('Kafka readiness', () => {
  it('is not ready when no broker answers, and says why', async () => {
    const readiness = new KafkaReadiness(createKafka({ clientId: 'readiness-test', brokers: ['127.0.0.1:1'] }));
    const [first, second] = await Promise.all([readiness.check(), readiness.check()]);
    expect(first.ok).toBe(false);
    expect(String(first.detail)).toMatch(/ECONNREFUSED|connect/i);
    expect(second).toBe(first); // one question in flight at a time
    await readiness.close();
  });
});
