import fc from 'fast-check';
import { TOPICS } from '@focus/contracts';
import { eventually } from '@focus/testing';
import { topicCounts } from './domain-writes';
import { FaultStack, PROFILE, SOURCE, startFaultStack } from './fault-stack';

// Issue 10, item 7: arbitrary and near-valid bodies on every write route through the gateway:
// never a 5xx, every refusal a 4xx problem+json, and an event only for an accepted change.
const NUM_RUNS = Number(process.env['FAULTS_FUZZ_RUNS'] ?? 40);

interface Route {
  name: string;
  method: 'PUT' | 'POST';
  path: string;
  topic: string;
  valid: Record<string, unknown>;
}

const ROUTES: Route[] = [
  { name: 'profile', method: 'PUT', path: '/operations/KAZ', topic: TOPICS.narratives, valid: PROFILE },
  { name: 'population', method: 'PUT', path: '/operations/KAZ/population/2018/REF', topic: TOPICS.population, valid: { value: 588, source: SOURCE } },
  { name: 'budget', method: 'PUT', path: '/operations/KAZ/budget/2018/pillars/1', topic: TOPICS.budget, valid: { budgetUsd: 4328075, expenditureUsd: 2517448.47 } },
  { name: 'key-figures', method: 'PUT', path: '/operations/KAZ/key-figures/2018/result', topic: TOPICS.narratives, valid: { items: [{ value: 197, unit: 'people', text: { en: 'people of concern received legal assistance' } }] } },
  { name: 'narratives', method: 'PUT', path: '/operations/KAZ/narratives/2018/en/unmet-needs', topic: TOPICS.narratives, valid: { body: 'Needs remain unmet in shelter and health.' } },
  { name: 'contributions', method: 'POST', path: '/contributions', topic: TOPICS.contributions, valid: { donor: { name: 'European Union', type: 'eu' }, date: '2018-07-08', operationCode: 'KAZ', status: 'pledged' } },
];

/** Any JSON, a valid body with one field replaced or removed or one added, or text that may not be JSON. */
function bodies(valid: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([key, value]) => JSON.stringify({ ...valid, [key]: value })),
    fc.constantFrom(...keys).map((key) => JSON.stringify(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key)))),
    fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue()).map(([key, value]) => JSON.stringify({ ...valid, [key]: value })),
    fc.string({ maxLength: 200 }),
  );
}

describe('faults: property-based fuzzing of every write route', () => {
  let f: FaultStack;

  beforeAll(async () => {
    f = await startFaultStack('faults-fuzz', { appEnv: { 'api-gateway': { RATE_LIMIT_MAX: '100000' } } });
  }, 240_000);
  afterAll(async () => f?.close());

  it.each(ROUTES.map((route) => [route.name, route] as const))('%s: never a 5xx, refusals are 4xx problem+json, events only for accepted changes', async (_name, route) => {
    const before = (await topicCounts(f))[route.topic];
    let changes = 0;
    await fc.assert(
      fc.asyncProperty(bodies(route.valid), async (body) => {
        const response = await f.write(route.method, route.path, body);
        expect(response.status).toBeLessThan(500);
        if (response.status >= 200 && response.status < 300) {
          const answer = (await response.json()) as { status?: string };
          if (answer.status !== 'unchanged') changes++;
          return;
        }
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json/);
        expect(((await response.json()) as { status: number }).status).toBe(response.status);
      }),
      { numRuns: NUM_RUNS },
    );
    // Every accepted change is published, and nothing else: wait for the first, then let the
    // outbox run a while longer to see that no event came from a refused write.
    await eventually(async () => ((await topicCounts(f))[route.topic] >= before + changes ? true : undefined), 30_000, `${changes} events on ${route.topic}`);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await topicCounts(f))[route.topic]).toBe(before + changes);
  });
});
