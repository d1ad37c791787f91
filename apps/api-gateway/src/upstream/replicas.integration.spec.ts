import { cleanUpStack, eventually, Stack, startStack, testKafka, testNamespace } from '@focus/testing';

// The real gateway in front of two real population processes (one database, as replicas
// share it), with POPULATION_URL naming both: writes are spread over them, one that is
// stopped is skipped without a failed request, and it is used again once it is back.
const EDITOR = 'replica-editor-key-0123456789';
const FIGURE = '/operations/RPL/population/2018/REF';
const source = { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' };

describe('api-gateway over replicas', () => {
  const ns = testNamespace('gateway-replicas');
  const replicas: Stack[] = [];
  let gateway: Stack;
  let api: string;

  beforeAll(async () => {
    const echo = process.env['STACK_ECHO'] ? (line: string) => process.stdout.write(line) : undefined;
    // LOG_LEVEL info: each replica logs the requests it answered, which is how the test sees who got what.
    for (let i = 0; i < 2; i++)
      replicas.push(await startStack({ namespace: ns, apps: ['population'], appEnv: { population: { LOG_LEVEL: 'info' } }, echo }));
    gateway = await startStack({
      namespace: ns,
      apps: ['api-gateway'],
      appEnv: {
        'api-gateway': {
          POPULATION_URL: replicas.map((r) => r.urls.population).join(','),
          // No aggregator in this test: a port where nothing listens, so the gateway is live, not ready.
          OPERATION_VIEW_URL: 'http://127.0.0.1:1',
          GATEWAY_API_KEYS: `editor:editor:${EDITOR}`,
          UPSTREAM_DOWN_MS: '1000',
          PORTAL_DIR: '/nonexistent/portal',
        },
      },
      waitFor: { 'api-gateway': 'live' },
      echo,
    });
    api = `${gateway.gatewayUrl}/api/v1`;
  }, 240_000);

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(replicas.map((r) => r.stop()));
    await cleanUpStack(ns, process.env['MONGO_URL'], testKafka(ns));
  });

  const put = (value: number) =>
    fetch(`${api}${FIGURE}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': EDITOR },
      body: JSON.stringify({ value, source }),
    });
  /** How many requests for the figure a replica has logged. */
  const answered = (replica: Stack) => replica.logs('population').filter((line) => line.includes(FIGURE)).length;
  /** Once `total` request lines are in (a log line arrives a moment after its answer): each replica's count. */
  const answeredOnce = (total: number) =>
    eventually(
      async () => (replicas.map(answered).reduce((a, b) => a + b, 0) >= total ? replicas.map(answered) : undefined),
      10_000,
      `${total} requests logged`,
    );

  it('spreads requests over the replicas in turn', async () => {
    for (let value = 1; value <= 10; value++) expect((await put(value)).status).toBeLessThan(300);
    expect(await answeredOnce(10)).toEqual([5, 5]);
  });

  it('skips a replica that is stopped: every write is answered by the other', async () => {
    const [first, second] = replicas as [Stack, Stack];
    const before = answered(second);
    const firstBefore = answered(first);
    await first.kill('population', 'SIGKILL');
    const statuses: number[] = [];
    for (let value = 11; value <= 20; value++) statuses.push((await put(value)).status);
    expect(statuses.every((status) => status < 300)).toBe(true);
    expect((await answeredOnce(firstBefore + before + 10))[1]! - before).toBe(10);
    const stored = (await (await fetch(`${second.urls.population}/operations/RPL/population`)).json()) as {
      figures: Array<{ value: number }>;
    };
    expect(stored.figures.map((f) => f.value)).toEqual([20]);
  });

  it('tries the stopped replica again later, and uses it once it is back', async () => {
    const [first] = replicas as [Stack, Stack];
    const before = answered(first);
    await first.start('population');
    let value = 100;
    await eventually(
      async () => ((await put(value++)).status < 300 && answered(first) > before ? true : undefined),
      30_000,
      'the restarted replica answering again',
    );
  });
});
