import { countsOncePublished, topicCounts, viewOfEveryTopic, writeOnEveryTopic } from './domain-writes';
import { EDITOR, expectProblem, FaultStack, PROFILE, READER, SOURCE, startFaultStack, viewJson } from './fault-stack';

// Issue 10, item 8: operators, dotted keys, overlong and oversized input, wrong content types,
// wrong keys and a burst past the rate limit: each a clear 4xx problem+json, nothing changed.
const BURST = 'faults-burst-key-0123456789';
const RATE_LIMIT_MAX = 60;
const BODY_LIMIT_BYTES = 64 * 1024;
// A second editor key for the cases below, so that the rate limit (per key) is never what refuses them.
const PROBE = 'faults-probe-key-0123456789';
const probe = { 'x-api-key': PROBE };
const keyFigures = (n: number) => ({
  items: Array.from({ length: n }, (_, i) => ({ value: i, unit: 'people', text: { en: `figure ${i}` } })),
});
const office = (i: number) => ({ name: `Office ${i}`, kind: 'field-office', lat: 43.25, lon: 76.95 });
const CSV_HEADER =
  'year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst';

describe('faults: abuse', () => {
  let f: FaultStack;
  let countsBefore: Record<string, number>;
  let viewBefore: string | undefined;

  beforeAll(async () => {
    f = await startFaultStack('faults-abuse', {
      appEnv: {
        'api-gateway': {
          GATEWAY_API_KEYS: `editor:editor:${EDITOR},reader:reader:${READER},burst:reader:${BURST},probe:editor:${PROBE}`,
          RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
          BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
        },
      },
    });
    await writeOnEveryTopic(f, 0);
    countsBefore = await countsOncePublished(f, 4);
    // The view once the aggregator has applied all four events, not the first one it answers with.
    viewBefore = await viewOfEveryTopic(f, 0);
  }, 240_000);
  afterAll(async () => f?.close());

  const population = '/operations/KAZ/population/2018/REF';

  it.each<[string, string, string, unknown]>([
    ['an operator for a value', 'PUT', population, { value: { $gt: 0 }, source: SOURCE }],
    ['$where beside valid fields', 'PUT', population, { value: 5, source: SOURCE, $where: 'sleep(1000)' }],
    ['a dotted key', 'PUT', population, { value: 5, source: SOURCE, 'source.name': 'x' }],
    ['an operator inside a nested object', 'PUT', population, { value: 5, source: { name: { $ne: null }, asOf: '2018-12-31' } }],
    ['an operator for the narrative body', 'PUT', '/operations/KAZ/narratives/2018/en/unmet-needs', { body: { $ne: null } }],
    [
      'an operator in a contribution',
      'POST',
      '/contributions',
      { donor: { name: 'X', type: 'government' }, date: '2018-07-09', operationCode: { $ne: 'KAZ' }, status: 'paid' },
    ],
    ['an overlong string', 'PUT', population, { value: 5, source: { name: 'x'.repeat(10_000), asOf: '2018-12-31' } }],
    [
      'a huge array past the body limit',
      'PUT',
      '/operations/KAZ/key-figures/2018/result',
      { items: Array.from({ length: 5_000 }, () => ({ value: 1, unit: 'people', text: { en: 'x' } })) },
    ],
    ['a body past the size limit', 'PUT', '/operations/KAZ/narratives/2018/en/unmet-needs', { body: 'x'.repeat(70 * 1024) }],
    ['an operator as path parameter', 'PUT', '/operations/%24where/population/2018/REF', { value: 5, source: SOURCE }],
    ['an operator as figure type', 'PUT', '/operations/KAZ/population/2018/%24gt', { value: 5, source: SOURCE }],
  ])('refuses %s', async (_what, method, path, body) => {
    await expectProblem(await f.write(method, path, body));
  });

  // The body limit refuses a 5,000-item array before validation sees it; these fit under the
  // limit, so it is the list's own maximum (NestedList: 50 key figures, 200 offices) that refuses them.
  it.each<[string, string, Record<string, unknown>, string]>([
    ['51 key figures', '/operations/KAZ/key-figures/2018/result', keyFigures(51), 'items'],
    ['500 key figures', '/operations/KAZ/key-figures/2018/result', keyFigures(500), 'items'],
    ['201 offices', '/operations/KAZ', { ...PROFILE, offices: Array.from({ length: 201 }, (_, i) => office(i)) }, 'offices'],
  ])('refuses an array past its maximum but under the body limit (%s) with 422 naming the field', async (_what, path, body, field) => {
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(BODY_LIMIT_BYTES);
    const problem = await expectProblem(await f.write('PUT', path, body, probe), 422);
    expect(problem['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  // Every path parameter is checked by the owner against its closed list or pattern: an operator,
  // a dotted key or an encoded path in one is a 400 naming it, whichever method the route has.
  // Other spellings of a number are not one either (the global validation pipe once turned them
  // into 2018 or 1 before the parameter's own check, and the write or deletion went through).
  it.each<[string, string, string]>([
    ['PUT', '/operations/KAZ/population/%24gt/REF', 'year'],
    ['PUT', '/operations/KAZ/population/2018.5/REF', 'year'],
    ['PUT', '/operations/KAZ/population/2018/REF.%24ne', 'type'],
    ['PUT', '/operations/KAZ/population/2018/..%2F..%2Fbudget%2F2018%2Fpillars%2F1', 'type'],
    ['PUT', '/operations/KAZ/budget/2018/pillars/%24ne', 'pillar'],
    ['PUT', '/operations/KAZ/budget/2018/pillars/1.5', 'pillar'],
    ['PUT', '/operations/KAZ/budget/%7B%22%24gt%22%3A0%7D/pillars/1', 'year'],
    ['PUT', '/operations/KAZ/key-figures/2018/result.%24ne', 'kind'],
    ['PUT', '/operations/KAZ/key-figures/2018/%24in', 'kind'],
    ['PUT', '/operations/KAZ/narratives/2018/en.fr/unmet-needs', 'lang'],
    ['PUT', '/operations/KAZ/narratives/2018/%24regex/unmet-needs', 'lang'],
    ['PUT', '/operations/KAZ/narratives/2018/en/unmet-needs.%24where', 'section'],
    ['PUT', '/operations/KAZ/narratives/%24where/en/unmet-needs', 'year'],
    ['PUT', '/operations/KAZ.X', 'code'],
    ['DELETE', '/operations/%24where', 'code'],
    ['DELETE', '/operations/KAZ.REF/population/2018/REF', 'code'],
    ['DELETE', '/operations/KAZ/population/%24gt/REF', 'year'],
    ['DELETE', '/operations/KAZ/population/2018/%24ne', 'type'],
    ['DELETE', '/operations/KAZ/budget/2018/pillars/%24gt', 'pillar'],
    ['DELETE', '/operations/KAZ/key-figures/%7B%22%24gt%22%3A0%7D/result', 'year'],
    ['DELETE', '/operations/KAZ/key-figures/2018/%24exists', 'kind'],
    ['DELETE', '/operations/KAZ/narratives/2018/%24ne/unmet-needs', 'lang'],
    ['DELETE', '/operations/KAZ/narratives/2018/en/unmet-needs.%24where', 'section'],
    ['PUT', '/operations/KAZ/population/2018.0/REF', 'year'],
    ['PUT', '/operations/KAZ/population/0x7E2/REF', 'year'],
    ['PUT', '/operations/KAZ/population/2.018e3/REF', 'year'],
    ['PUT', '/operations/KAZ/population/%202018/REF', 'year'],
    ['PUT', '/operations/KAZ/budget/2018/pillars/01', 'pillar'],
    ['DELETE', '/operations/KAZ/budget/2018/pillars/1.0', 'pillar'],
    ['DELETE', '/operations/KAZ/budget/2018/pillars/0x1', 'pillar'],
  ])('refuses %s %s: 400 naming %s', async (method, path, field) => {
    const body = {
      '/population/': { value: 5, source: SOURCE },
      '/budget/': { budgetUsd: 1 },
      '/key-figures/': keyFigures(1),
      '/narratives/': { body: 'x' },
    };
    const response =
      method === 'DELETE'
        ? await fetch(`${f.api}${path}`, { method, headers: probe })
        : await f.write(method, path, Object.entries(body).find(([part]) => path.includes(part))?.[1] ?? PROFILE, probe);
    const problem = await expectProblem(response, 400);
    expect(problem['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  describe('the population import', () => {
    const importCsv = (csv: string, contentType = 'text/csv', query = '') =>
      f.write('POST', `/imports/population${query}`, csv, { ...probe, 'content-type': contentType });
    const row = (cells: Partial<Record<string, string>>) =>
      CSV_HEADER.split(',')
        .map(
          (column) =>
            cells[column] ??
            {
              year: '2018',
              coo_name: 'Kazakhstan',
              coo: 'KAZ',
              coo_iso: 'KAZ',
              coa_name: 'Kazakhstan',
              coa: 'KAZ',
              coa_iso: 'KAZ',
              refugees: '5',
            }[column] ??
            '',
        )
        .join(',');

    it.each<[string, string, number]>([
      ['application/json', JSON.stringify({ $where: 'sleep(1000)', year: { $gt: 0 } }), 415],
      ['text/plain', `${CSV_HEADER}\n${row({})}\n`, 415],
      ['application/x-www-form-urlencoded', 'year[$gt]=0&refugees=5', 415],
    ])('refuses a body sent as %s', async (contentType, body, status) => {
      await expectProblem(await importCsv(body, contentType), status);
    });

    it('refuses an operator in its query (422 naming it) and an operator for a header (400 naming the header)', async () => {
      const query = await expectProblem(await importCsv(`${CSV_HEADER}\n${row({})}\n`, 'text/csv', '?source[$ne]=x'), 422);
      expect(JSON.stringify(query['errors'])).toContain('source[$ne]');
      const header = await expectProblem(await importCsv(`${CSV_HEADER.replace('refugees', '$where')}\n${row({})}\n`), 400);
      expect(header['errors']).toEqual([expect.objectContaining({ field: 'header' })]);
    });

    it('rejects every row with an operator or a dotted code in it, and imports none (the summary names each line)', async () => {
      const csv = [
        CSV_HEADER,
        row({ year: '$where' }),
        row({ refugees: '$gt' }),
        row({ refugees: '{"$ne":null}' }),
        row({ asylum_seekers: 'sleep(1000)' }),
        row({ coa_iso: '$where' }),
        row({ coa_iso: 'KAZ.REF', coo_iso: 'KAZ.REF' }),
      ].join('\n');
      // An import answers with a summary (201) of what it read, imported and rejected: a row
      // is refused on its own, so that one bad line does not throw away a whole release.
      const response = await importCsv(`${csv}\n`);
      expect(response.status).toBe(201);
      const summary = (await response.json()) as {
        rowsRead: number;
        figures: Record<string, number>;
        rejected: { count: number; lines: Array<{ line: number }> };
        operations: unknown[];
        profiles?: unknown[];
      };
      expect(summary.rowsRead).toBe(6);
      expect(summary.figures).toEqual({ created: 0, updated: 0, unchanged: 0 });
      // A dotted origin is no country code: refused too (a dotted asylum code is no operation, so skipped).
      expect(summary.rejected.lines.map((l) => l.line)).toEqual([2, 3, 4, 5, 7]);
      expect(summary.operations).toEqual([]);
    });
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
    await expectProblem(
      await f.write(
        'POST',
        '/contributions',
        { donor: { name: 'X', type: 'government' }, date: '2018-07-09', operationCode: 'KAZ', status: 'paid' },
        { 'x-api-key': READER },
      ),
      403,
    );
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
