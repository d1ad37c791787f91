import { eventually } from '@focus/testing';
import { expectAcknowledgedInView } from './domain-writes';
import { FaultStack, PROFILE, SOURCE, startFaultStack, viewJson } from './fault-stack';

// Issue 10, item 1: the aggregator SIGKILLed in the middle of a stream of writes and started
// again loses nothing (every acknowledged write is in the view) and its view equals a rebuild.
describe('faults: the aggregator killed mid-stream', () => {
  let f: FaultStack;
  const WRITES = 24;
  const years = Array.from({ length: WRITES }, (_, i) => 1990 + i);

  beforeAll(async () => {
    f = await startFaultStack('faults-aggregator');
  }, 240_000);
  afterAll(async () => f?.close());

  it('every 2xx write is in the view after a SIGKILL and restart, and the view equals a fresh rebuild', async () => {
    expect((await f.write('PUT', '/operations/KAZ', PROFILE)).status).toBe(201);
    const acknowledged = new Map<number, number>();
    let killed: Promise<void> | undefined;
    for (const [i, year] of years.entries()) {
      if (i === WRITES / 3) killed = f.stack.kill('operation-view', 'SIGKILL');
      const response = await f.write('PUT', `/operations/KAZ/population/${year}/REF`, { value: 1000 + i, source: SOURCE });
      if (response.status >= 200 && response.status < 300) acknowledged.set(year, 1000 + i);
    }
    await killed;
    // Writes go to the population service, not to the aggregator: all of them were acknowledged.
    expect(acknowledged.size).toBe(WRITES);
    await f.stack.start('operation-view');

    const aggregator = f.stack.urls['operation-view'];
    await expectAcknowledgedInView(f, acknowledged, 120_000);
    await eventually(
      async () =>
        (JSON.parse((await viewJson(f.stack, 'KAZ', years[0])) ?? '{}') as { operation?: { name: unknown } }).operation?.name
          ? true
          : undefined,
      60_000,
      'the profile in the view',
    );
    // Read once every write is in: each year's view lists every year's total (totalsByYear), so
    // one read as soon as its own year showed could miss the later ones (seen on a loaded machine).
    const before = new Map<number, string>();
    for (const year of acknowledged.keys()) before.set(year, (await viewJson(f.stack, 'KAZ', year))!);

    expect((await fetch(`${aggregator}/admin/rebuild`, { method: 'POST' })).status).toBe(202);
    await eventually(
      async () => {
        const body = (await (await fetch(`${aggregator}/admin/rebuild`)).json()) as { phase: string };
        if (body.phase === 'failed') throw new Error(`rebuild failed: ${JSON.stringify(body)}`);
        return body.phase === 'done' ? body : undefined;
      },
      120_000,
      'rebuild done',
    );
    for (const [year, json] of before) expect(await viewJson(f.stack, 'KAZ', year)).toBe(json);
  });
});
