import { PrivateKafka } from '@focus/testing';
import { expectAcknowledgedInView, streamFigureWrites } from './domain-writes';
import { FaultStack, PROFILE, startFaultStack } from './fault-stack';

// Issue 10, item 3: the broker (a private one: the shared broker is never stopped) down for
// 20 s during a burst of writes. Writes meanwhile are acknowledged (the outbox holds them) or
// refused with 503; every acknowledged write then appears in the view exactly once.
describe('faults: the Kafka broker stopped during a burst of writes', () => {
  let broker: PrivateKafka;
  let f: FaultStack;

  beforeAll(async () => {
    broker = await PrivateKafka.start();
    f = await startFaultStack('faults-broker', { env: { KAFKA_BROKERS: broker.brokers.join(',') } });
  }, 300_000);
  afterAll(async () => {
    await f?.close();
    await broker?.destroy();
  }, 120_000);

  it('every write is acknowledged or refused with 503, and every acknowledged one reaches the view with its value', async () => {
    expect((await f.write('PUT', '/operations/KAZ', PROFILE)).status).toBe(201);
    const stream = streamFigureWrites(f, { baseValue: 100, intervalMs: 250 });
    await new Promise((r) => setTimeout(r, 3_000));
    await broker.pause();
    await new Promise((r) => setTimeout(r, 20_000));
    await broker.resume();
    await new Promise((r) => setTimeout(r, 3_000));
    const { acknowledged, refused } = await stream.stop();

    expect(refused.map((response) => response.status).filter((status) => status !== 503)).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(20);
    await expectAcknowledgedInView(f, acknowledged, 180_000);
  });
});
