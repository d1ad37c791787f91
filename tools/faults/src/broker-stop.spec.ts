import { eventually, PrivateKafka } from '@focus/testing';
import { FaultStack, PROFILE, SOURCE, startFaultStack, viewJson } from './fault-stack';

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
    const acknowledged = new Map<number, number>();
    const statuses: number[] = [];
    let writing = true;
    const burst = (async () => {
      for (let i = 0; writing && i < 140; i++) {
        const year = 1951 + i;
        const response = await f.write('PUT', `/operations/KAZ/population/${year}/REF`, { value: 100 + i, source: SOURCE });
        statuses.push(response.status);
        if (response.status >= 200 && response.status < 300) acknowledged.set(year, 100 + i);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    await new Promise((r) => setTimeout(r, 3_000));
    await broker.pause();
    const stoppedAt = Date.now();
    await new Promise((r) => setTimeout(r, 20_000 - (Date.now() - stoppedAt)));
    await broker.resume();
    await new Promise((r) => setTimeout(r, 3_000));
    writing = false;
    await burst;

    expect(statuses.every((s) => (s >= 200 && s < 300) || s === 503)).toBe(true);
    expect(acknowledged.size).toBeGreaterThan(20);
    for (const [year, value] of acknowledged) {
      await eventually(async () => {
        const json = await viewJson(f.stack, 'KAZ', year);
        return json && (JSON.parse(json) as { peopleOfConcern: { total: number } }).peopleOfConcern.total === value ? true : undefined;
      }, 180_000, `the view of ${year} shows ${value} once`);
    }
  });
});
