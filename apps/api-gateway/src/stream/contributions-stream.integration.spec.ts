import type { ContributionState, EventEnvelope } from '@focus/contracts';
import { EVENT_TYPES } from '@focus/contracts';
import { cleanUpStack, eventually, readEventStream, Stack, startStack, testKafka, testNamespace } from '@focus/testing';

// A re-earmark as the contributions service publishes it (from its build, on the real broker),
// seen through the gateway's SSE stream: the operation left gets "moved", the new one "updated".
// Only the contributions service runs behind the gateway: the stream needs nothing else.
const EDITOR = 'stream-editor-key-0123456789';
const NOWHERE = 'http://127.0.0.1:1';

type Envelope = EventEnvelope<ContributionState>;

describe('the contributions stream passes re-earmarks through', () => {
  const ns = testNamespace('gateway-stream');
  let stack: Stack;
  let api: string;
  const streams: Array<{ close(): void }> = [];

  beforeAll(async () => {
    stack = await startStack({
      namespace: ns,
      apps: ['contributions', 'api-gateway'],
      waitFor: { 'api-gateway': 'live' },
      appEnv: {
        'api-gateway': {
          GATEWAY_API_KEYS: `editor:editor:${EDITOR}`,
          PORTAL_DIR: '/nonexistent/portal',
          OPERATION_VIEW_URL: NOWHERE,
          POPULATION_URL: NOWHERE,
          BUDGET_URL: NOWHERE,
          NARRATIVES_URL: NOWHERE,
        },
      },
    });
    api = `${stack.gatewayUrl}/api/v1`;
    // Not ready without the aggregator; the stream's own consumer is what matters here.
    await eventually(
      async () => {
        const body = (await (await fetch(`${stack.gatewayUrl}/health/ready`)).json()) as {
          checks?: { events?: { detail?: { contributions?: string } } };
        };
        return body.checks?.events?.detail?.contributions === 'running' ? true : undefined;
      },
      60_000,
      'the gateway consuming contributions.events',
    );
  }, 240_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await stack?.stop();
    await cleanUpStack(ns, process.env['MONGO_URL'], testKafka(ns));
  });

  const open = async (operation: string) => {
    const stream = await openStream(`${api}/contributions/stream?operation=${operation}`);
    streams.push(stream);
    return stream;
  };

  it('moved reaches the operation left (subject), updated the operation joined; neither reaches the other', async () => {
    const [left, joined] = [await open('KAZ'), await open('KGZ')];
    const body = { donor: { name: 'Norway', type: 'government' }, date: '2019-07-09', operationCode: 'KAZ', status: 'pledged' };
    const posted = await fetch(`${api}/contributions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': EDITOR },
      body: JSON.stringify(body),
    });
    expect(posted.status).toBe(201);
    const id = ((await posted.json()) as { state: { id: string } }).state.id;
    // The public API records contributions; re-earmarking is the owner service's own PUT.
    const moved = await fetch(`${stack.urls.contributions}/contributions/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-match': '"1"' },
      body: JSON.stringify({ ...body, operationCode: 'KGZ' }),
    });
    expect(moved.status).toBe(200);

    const ofId = (events: Envelope[]) =>
      events
        .filter((e) => e.subject.entityId === id)
        .map((e) => [e.type, e.subject.operationCode, e.subject.version, e.data?.operationCode]);
    expect(ofId(await left.until((events) => ofId(events).length === 2))).toEqual([
      [EVENT_TYPES.contributionsContributionRecorded, 'KAZ', 1, 'KAZ'],
      [EVENT_TYPES.contributionsContributionMoved, 'KAZ', 2, 'KGZ'],
    ]);
    expect(ofId(await joined.until((events) => ofId(events).length === 1))).toEqual([
      [EVENT_TYPES.contributionsContributionUpdated, 'KGZ', 2, 'KGZ'],
    ]);

    // Nothing more comes for it on either stream: a contribution written after it arrives
    // on each (events of one operation keep their order), with nothing of `id` in between.
    const marker = async (operationCode: string) => {
      const response = await fetch(`${api}/contributions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': EDITOR },
        body: JSON.stringify({ ...body, donor: { name: `After ${operationCode}`, type: 'government' }, operationCode }),
      });
      expect(response.status).toBe(201);
    };
    await Promise.all([marker('KAZ'), marker('KGZ')]);
    const afterMarker = (operationCode: string) => (events: Envelope[]) =>
      events.some((e) => e.data?.donor.name === `After ${operationCode}`);
    expect(ofId(await left.until(afterMarker('KAZ')))).toHaveLength(2);
    expect(ofId(await joined.until(afterMarker('KGZ')))).toHaveLength(1);
  });
});

/** The stream as a client reads it: each message's data parsed as an envelope. */
async function openStream(url: string) {
  const stream = await readEventStream(url);
  expect(stream.status).toBe(200);
  const envelopes = () => stream.events.map((e) => JSON.parse(e.data) as Envelope);
  return {
    /** Every event received so far, once `done` holds for them. */
    until: (done: (received: Envelope[]) => boolean) =>
      eventually(async () => (done(envelopes()) ? envelopes() : undefined), 30_000, 'the expected server-sent events'),
    close: stream.close,
  };
}
