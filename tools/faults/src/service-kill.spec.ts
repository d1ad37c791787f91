import { TOPICS } from '@focus/contracts';
import { eventually, readTopic } from '@focus/testing';
import { topicCounts } from './domain-writes';
import { FaultStack, SOURCE, startFaultStack, viewJson } from './fault-stack';

// Issue 10, item 2: a domain service killed after its MongoDB write and before its publish.
// OUTBOX_RELAY_START_DELAY_MS (service-kit, off by default) holds the relay back after
// start-up, so the kill lands between the write and the publish; the test checks that nothing
// was published before the kill rather than assuming it. 20 s: the rest of the stack starts
// inside it even on a loaded machine.
const DELAY_MS = 20_000;

describe('faults: a domain service killed between its write and its publish', () => {
  let f: FaultStack;

  beforeAll(async () => {
    f = await startFaultStack('faults-service-kill', { appEnv: { population: { OUTBOX_RELAY_START_DELAY_MS: String(DELAY_MS) } } });
  }, 240_000);
  afterAll(async () => f?.close());

  it('every acknowledged write is published after the restart, once', async () => {
    const years = [2011, 2012, 2013, 2014, 2015, 2016];
    for (const [i, year] of years.entries()) {
      const response = await f.write('PUT', `/operations/KAZ/population/${year}/REF`, { value: 300 + i, source: SOURCE });
      expect(response.status).toBe(201);
    }
    // Still inside the delay: stored, acknowledged, not published. Then the crash.
    expect((await topicCounts(f))[TOPICS.population]).toBe(0);
    await f.stack.kill('population', 'SIGKILL');
    expect((await topicCounts(f))[TOPICS.population]).toBe(0);

    await f.stack.start('population');
    const topic = f.ns.topic(TOPICS.population);
    const events = await readTopic(f.kafka, topic, (messages) => messages.length >= years.length, 60_000);
    const subjects = events.map((m) => (JSON.parse(m.value ?? '{}') as { subject: { entityId: string } }).subject.entityId).sort();
    expect(subjects).toEqual(years.map((year) => `KAZ:${year}:REF`));
    for (const [i, year] of years.entries()) {
      await eventually(
        async () => {
          const json = await viewJson(f.stack, 'KAZ', year);
          return json && (JSON.parse(json) as { peopleOfConcern: { total: number } }).peopleOfConcern.total === 300 + i ? true : undefined;
        },
        60_000,
        `the view of ${year}`,
      );
    }
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await topicCounts(f))[TOPICS.population]).toBe(years.length);
  });
});
