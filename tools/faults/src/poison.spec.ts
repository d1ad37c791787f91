import { DLQ_HEADERS, dlqTopicOf } from '@focus/contracts';
import { eventually, readAllNow, readTopic } from '@focus/testing';
import { DOMAIN_TOPICS, writeOnEveryTopic } from './domain-writes';
import { FaultStack, metricTotal, startFaultStack, uuidV7 } from './fault-stack';

// Issue 10, item 5: poison messages published straight onto each domain topic end in its
// dead-letter topic, the aggregator's metrics count them, and consumption goes on.
describe('faults: poison messages', () => {
  let f: FaultStack;

  beforeAll(async () => {
    f = await startFaultStack('faults-poison');
  }, 240_000);
  afterAll(async () => f?.close());

  it('each poison message of each topic is dead-lettered, counted, and a valid event after them is applied', async () => {
    await writeOnEveryTopic(f, 0);
    const aggregator = f.stack.urls['operation-view'];
    const producer = f.kafka.producer();
    await producer.connect();
    try {
      for (const name of DOMAIN_TOPICS) {
        const topic = f.ns.topic(name);
        const [valid] = await readTopic(f.kafka, topic, (messages) => messages.length > 0, 60_000);
        const envelope = JSON.parse(valid.value ?? '{}') as { type: string; data: unknown; id: string };
        await producer.send({
          topic,
          messages: [
            { key: valid.key, value: '{"this is": not json' },
            { key: valid.key, value: JSON.stringify({ ...envelope, id: uuidV7(), data: { nonsense: [1, 2, 3] } }) },
            { key: valid.key, value: JSON.stringify({ ...envelope, id: uuidV7(), type: envelope.type.replace(/\.[^.]+$/, '.exploded') }) },
          ],
        });
      }
    } finally {
      await producer.disconnect();
    }

    for (const name of DOMAIN_TOPICS) {
      const topic = f.ns.topic(name);
      const letters = await readTopic(f.kafka, dlqTopicOf(topic), (messages) => messages.length >= 3, 60_000);
      expect(letters.map((m) => m.headers[DLQ_HEADERS.reason]).sort()).toEqual(['invalid-json', 'invalid-payload', 'unknown-type']);
      for (const letter of letters) expect(letter.headers[DLQ_HEADERS.group]).toContain(f.ns.topicPrefix);
      for (const letter of letters) expect(letter.headers[DLQ_HEADERS.topic]).toBe(topic);
      const counted = await eventually(async () => {
        const total = await metricTotal(aggregator, 'focus_events_dead_lettered_total', `topic="${topic}"`);
        return total >= 3 ? total : undefined;
      }, 30_000, `the aggregator counts the dead letters of ${topic}`);
      expect(counted).toBe(3);
    }

    // Consumption goes on: a valid event on every topic after the poison is applied.
    const consumedBefore = new Map<string, number>();
    for (const name of DOMAIN_TOPICS) consumedBefore.set(name, await metricTotal(aggregator, 'focus_events_consumed_total', `topic="${f.ns.topic(name)}"`));
    await writeOnEveryTopic(f, 1);
    for (const name of DOMAIN_TOPICS) {
      await eventually(async () => ((await metricTotal(aggregator, 'focus_events_consumed_total', `topic="${f.ns.topic(name)}"`)) > consumedBefore.get(name)! ? true : undefined), 60_000, `an event of ${name} after the poison is applied`);
    }
    await eventually(async () => {
      const view = (await (await f.read('/operations/KAZ?year=2018')).json()) as { peopleOfConcern?: { total: number } };
      return view.peopleOfConcern?.total === 589 ? true : undefined;
    }, 60_000, 'the view shows the write made after the poison');
    expect(await readAllNow(f.kafka, dlqTopicOf(f.ns.topic(DOMAIN_TOPICS[0])))).not.toHaveLength(0);
  });
});
