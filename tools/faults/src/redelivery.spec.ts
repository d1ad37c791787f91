import { eventually, readAllNow } from '@focus/testing';
import { countsOncePublished, DOMAIN_TOPICS, writeOnEveryTopic } from './domain-writes';
import { FaultStack, metricTotal, SOURCE, startFaultStack, viewJson } from './fault-stack';

// Issue 10, item 6: events delivered again, twice and in reverse order, leave the view as it was.
describe('faults: redelivery', () => {
  let f: FaultStack;

  beforeAll(async () => {
    f = await startFaultStack('faults-redelivery');
  }, 240_000);
  afterAll(async () => f?.close());

  /** Events the aggregator has handled (applied or skipped) on the namespace's domain topics. */
  const handled = async () => {
    const url = f.stack.urls['operation-view'];
    return (
      (await metricTotal(url, 'focus_events_consumed_total', f.ns.topicPrefix)) +
      (await metricTotal(url, 'focus_events_skipped_total', f.ns.topicPrefix))
    );
  };

  it('republishing every consumed event twice, newest first, changes nothing in the view', async () => {
    await writeOnEveryTopic(f, 0);
    await writeOnEveryTopic(f, 1);
    for (const [i, type] of ['ASY', 'IDP', 'REF'].entries())
      expect((await f.write('PUT', `/operations/KAZ/population/2018/${type}`, { value: 700 + i, source: SOURCE })).status).toBeLessThan(
        300,
      );

    const counts = await countsOncePublished(f, 11);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    await eventually(async () => ((await handled()) >= total ? true : undefined), 60_000, 'the aggregator has handled every event');
    const before = await viewJson(f.stack, 'KAZ', 2018);
    expect(before).toBeDefined();
    const contributionsBefore = await (await f.read('/contributions?operation=KAZ')).text();

    // Counted before republishing: the aggregator may handle every redelivery before the last send returns.
    const handledBefore = await handled();
    const producer = f.kafka.producer();
    await producer.connect();
    let republished = 0;
    try {
      for (const name of DOMAIN_TOPICS) {
        const topic = f.ns.topic(name);
        const messages = (await readAllNow(f.kafka, topic)).reverse();
        expect(messages).toHaveLength(counts[name]);
        for (let round = 0; round < 2; round++) {
          await producer.send({ topic, messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) });
          republished += messages.length;
        }
      }
    } finally {
      await producer.disconnect();
    }
    // Not every duplicate shows in the consumed/skipped counters (measured: waiting for them timed out), so
    // "handled" is: the aggregator has moved on and its lag on every partition is back to 0.
    expect(republished).toBe(2 * total);
    await eventually(
      async () => {
        const url = f.stack.urls['operation-view'];
        const lag = await metricTotal(url, 'focus_consumer_lag', f.ns.topicPrefix);
        return (await handled()) > handledBefore && lag === 0 ? true : undefined;
      },
      60_000,
      'the aggregator has caught up with the redeliveries',
    );
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await viewJson(f.stack, 'KAZ', 2018)).toBe(before);
    expect(await (await f.read('/contributions?operation=KAZ')).text()).toBe(contributionsBefore);
    expect(await metricTotal(f.stack.urls['operation-view'], 'focus_events_dead_lettered_total', f.ns.topicPrefix)).toBe(0);
  });
});
