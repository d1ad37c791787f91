import { countsOncePublished, topicCounts, writeOnEveryTopic } from './domain-writes';
import { EDITOR, expectProblem, FaultStack, READER, SOURCE, startFaultStack, viewJson } from './fault-stack';
import { eventually } from '@focus/testing';

// Issue 10, item 8: operators, dotted keys, overlong and oversized input, wrong content types,
// wrong keys and a burst past the rate limit: each a clear 4xx problem+json, nothing changed.
const BURST = 'faults-burst-key-0123456789';
const RATE_LIMIT_MAX = 60;

describe('faults: abuse', () => {
  let f: FaultStack;
  let countsBefore: Record<string, number>;
  let viewBefore: string | undefined;

  beforeAll(async () => {
    f = await startFaultStack('faults-abuse', {
      appEnv: { 'api-gateway': { GATEWAY_API_KEYS: `editor:editor:${EDITOR},reader:reader:${READER},burst:reader:${BURST}`, RATE_LIMIT_MAX: String(RATE_LIMIT_MAX), BODY_LIMIT_BYTES: String(64 * 1024) } },
    });
    await writeOnEveryTopic(f, 0);
    countsBefore = await countsOncePublished(f, 4);
    viewBefore = await eventually(async () => viewJson(f.stack, 'KAZ', 2018), 60_000, 'the view');
  }, 240_000);
  afterAll(async () => f?.close());

  const population = '/operations/KAZ/population/2018/REF';

  it.each<[string, string, string, unknown]>([
    ['an operator for a value', 'PUT', population, { value: { $gt: 0 }, source: SOURCE }],
    ['$where beside valid fields', 'PUT', population, { value: 5, source: SOURCE, $where: 'sleep(1000)' }],
    ['a dotted key', 'PUT', population, { value: 5, source: SOURCE, 'source.name': 'x' }],
    ['an operator inside a nested object', 'PUT', population, { value: 5, source: { name: { $ne: null }, asOf: '2018-12-31' } }],
    ['an operator for the narrative body', 'PUT', '/operations/KAZ/narratives/2018/en/unmet-needs', { body: { $ne: null } }],
    ['an operator in a contribution', 'POST', '/contributions', { donor: { name: 'X', type: 'government' }, date: '2018-07-09', operationCode: { $ne: 'KAZ' }, status: 'paid' }],
    ['an overlong string', 'PUT', population, { value: 5, source: { name: 'x'.repeat(10_000), asOf: '2018-12-31' } }],
    ['a huge array', 'PUT', '/operations/KAZ/key-figures/2018/result', { items: Array.from({ length: 5_000 }, () => ({ value: 1, unit: 'people', text: { en: 'x' } })) }],
    ['a body past the size limit', 'PUT', '/operations/KAZ/narratives/2018/en/unmet-needs', { body: 'x'.repeat(70 * 1024) }],
    ['an operator as path parameter', 'PUT', '/operations/%24where/population/2018/REF', { value: 5, source: SOURCE }],
    ['an operator as figure type', 'PUT', '/operations/KAZ/population/2018/%24gt', { value: 5, source: SOURCE }],
  ])('refuses %s', async (_what, method, path, body) => {
    await expectProblem(await f.write(method, path, body));
  });

  it.each<[string, string]>([
    ['/contributions?operation[$ne]=x', 'an operator in a query'],
    ['/contributions?since[$gt]=', 'an operator for since'],
    ['/contributions?operation.code=KAZ&operation=KAZ&operation=KGZ', 'a dotted and a repeated parameter'],
    ['/operations/%24where?year=2018', 'an operator as path parameter'],
  ])('refuses the read %s (%s)', async (path) => {
    await expectProblem(await f.read(path));
  });

  it('an operator for the year of a view is a parameter of another name, never an operator: ignored like any unknown one', async () => {
    // The gateway parses queries flat ("year[$gt]" is one name), so the operator cannot reach a
    // query; the view route ignores unknown parameters (the contributions route refuses them).
    const plain = await f.read('/operations/KAZ');
    const withOperator = await f.read('/operations/KAZ?year[$gt]=2000');
    expect(withOperator.status).toBe(200);
    expect(await withOperator.text()).toBe(await plain.text());
  });

  it.each<[string, string, string]>([
    ['text/plain', JSON.stringify({ value: 5, source: SOURCE }), 'JSON sent as text'],
    ['application/x-www-form-urlencoded', 'value=5&source[name]=x&source[asOf]=2018-12-31', 'a form'],
    ['application/xml', '<value>5</value>', 'XML'],
  ])('refuses a write sent as %s', async (contentType, body) => {
    await expectProblem(await f.write('PUT', population, body, { 'content-type': contentType }));
  });

  it('refuses writes without a key (401), with an unknown key (401) and with a reader key (403)', async () => {
    const body = JSON.stringify({ value: 5, source: SOURCE });
    const none = await fetch(`${f.api}${population}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
    await expectProblem(none, 401);
    await expectProblem(await f.write('PUT', population, body, { 'x-api-key': 'faults-unknown-key-012345678' }), 401);
    await expectProblem(await f.write('PUT', population, body, { 'x-api-key': READER }), 403);
    await expectProblem(await f.write('POST', '/contributions', { donor: { name: 'X', type: 'government' }, date: '2018-07-09', operationCode: 'KAZ', status: 'paid' }, { 'x-api-key': READER }), 403);
  });

  it('a burst past the rate limit is refused with 429 and Retry-After', async () => {
    const responses = await Promise.all(Array.from({ length: RATE_LIMIT_MAX + 20 }, () => f.read('/operations', { 'x-api-key': BURST })));
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(responses.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
    await expectProblem(limited[0], 429);
  });

  it('nothing changed: no event was emitted and the view is as it was', async () => {
    await new Promise((r) => setTimeout(r, 2_000)); // time for an outbox to publish anything it should not have
    expect(await topicCounts(f)).toEqual(countsBefore);
    expect(await viewJson(f.stack, 'KAZ', 2018)).toBe(viewBefore);
  });
});
