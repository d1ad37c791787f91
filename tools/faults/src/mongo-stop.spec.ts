import { eventually, explained, PrivateFerretDB, StackApp } from '@focus/testing';
import { expectAcknowledgedInView, FigureWriteStream, streamFigureWrites } from './domain-writes';
import { FaultStack, logLinesOf, PROFILE, startFaultStack } from './fault-stack';

// Issue 10, item 4: the MongoDB-wire server (a private FerretDB: the shared one is never
// stopped) down for a while during a stream of writes. Meanwhile writes are refused with 503
// problem+json and Retry-After, readiness goes down; afterwards it comes back by itself, the
// outboxes drain, and every acknowledged write is in the view.
const OUTAGE_MS = 12_000;
const OUTAGE_ERROR = /"type":"Mongo(ServerSelection|Network)Error"/;
const WATCHED: StackApp[] = ['population', 'narratives', 'operation-view'];

describe('faults: the MongoDB-wire server stopped and restarted', () => {
  let server: PrivateFerretDB;
  let f: FaultStack;
  let stream: FigureWriteStream | undefined;

  beforeAll(async () => {
    server = await PrivateFerretDB.start();
    f = await startFaultStack('faults-mongo', { env: { MONGO_URL: server.url } });
  }, 300_000);
  afterAll(async () => {
    await stream?.stop().catch(() => undefined); // still writing when the test failed halfway
    await f?.close();
    await server?.destroy();
  }, 120_000);

  // Each probe on its own deadline: one request lost in the outage must not eat the whole wait.
  const readiness = async (app: StackApp) =>
    (await fetch(`${f.stack.urls[app]}/health/ready`, { signal: AbortSignal.timeout(5_000) })).status;
  /** A failed wait says what the app was doing: its last readiness answer and log lines. */
  const untilReady = (app: StackApp, status: number, timeoutMs: number, what: string) =>
    explained(
      eventually(async () => ((await readiness(app)) === status ? true : undefined), timeoutMs, what),
      async () => {
        const answer = await fetch(`${f.stack.urls[app]}/health/ready`, { signal: AbortSignal.timeout(5_000) }).then(
          (r) => r.text(),
          (e: unknown) => String(e),
        );
        return `last readiness answer: ${answer}\n${app}'s last log lines:\n${f.stack.logs(app).slice(-40).join('\n')}`;
      },
    );

  it('refuses writes with 503 while it is away, recovers by itself, and loses nothing acknowledged', async () => {
    expect((await f.write('PUT', '/operations/KAZ', PROFILE)).status).toBe(201);
    stream = streamFigureWrites(f, { baseValue: 500, intervalMs: 200 });
    await new Promise((r) => setTimeout(r, 2_000));

    await server.pause();
    const stoppedAt = Date.now();
    for (const app of WATCHED) {
      await untilReady(app, 503, OUTAGE_MS, `${app} not ready while the server is away`);
    }
    const whileAway = await fetch(`${f.stack.urls.population}/operations/KAZ/population`);
    expect(whileAway.status).toBe(503);
    expect(whileAway.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(whileAway.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));

    await server.resume();
    for (const app of WATCHED) {
      await untilReady(app, 200, 90_000, `${app} ready again by itself`);
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const { acknowledged, refused } = await stream.stop();
    stream = undefined;

    // Every refusal was the clear, retryable kind; the stream saw the outage.
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) {
      // Any other answer fails with its body and what the apps logged: which error was not taken for the outage.
      const id = response.headers.get('x-request-id') ?? 'no request id';
      const logged =
        response.status === 503
          ? []
          : [
              // Problem+json from our filter, or Fastify's last-resort answer: says which path the error took.
              `${response.headers.get('content-type')}: ${await response.text()}`,
              ...(['api-gateway', 'population'] as const).flatMap((app) => logLinesOf(f, app, (line) => line.includes(id))),
              // Population's errors other than the outage's own (server selection, network): what a 500 came from.
              ...logLinesOf(f, 'population', (line) => line.includes('"err"') && !OUTAGE_ERROR.test(line), { last: 3, width: 3_000 }),
            ];
      expect({ status: response.status, logged }).toEqual({ status: 503, logged: [] });
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(acknowledged.size).toBeGreaterThan(10);
    await expectAcknowledgedInView(f, acknowledged, 120_000);
  });
});
