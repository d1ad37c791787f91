import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { Kafka } from 'kafkajs';
import { cleanUpStack, eventually, Stack, startStack, testKafka, testNamespace } from '@focus/testing';

// The data API on the whole system: UNHCR's real file (three countries of asylum, 2015-2020)
// imported through the gateway, then read back across operations, as JSON and as CSV.
const EDITOR = 'data-editor-key-0123456789';
const REAL_FILE = join(__dirname, '../../../../tools/import/data/unhcr-population-1951-2025.csv.gz');
const ASYLUM = new Set(['DEU', 'TUR', 'KAZ']);
const TYPE_COLUMNS = ['REF', 'ASY', 'RET', 'IDP', 'RDP', 'STA', 'OOC', 'OIP', 'HST'];

interface Row {
  operation?: string;
  origin?: string | null;
  year?: number;
  type?: string;
  value: number;
}

/** The real file's rows for the chosen countries and years, and the sums they hold, computed here on their own. */
async function realRows(): Promise<{ csv: string; sums: Map<string, number> }> {
  let csv = '';
  const sums = new Map<string, number>();
  const add = (key: string, value: number) => sums.set(key, (sums.get(key) ?? 0) + value);
  for await (const line of createInterface({ input: createReadStream(REAL_FILE).pipe(createGunzip()), crlfDelay: Infinity })) {
    if (csv === '') {
      csv = line + '\n';
      continue;
    }
    const cells = line.match(/("[^"]*"|[^,]*)(,|$)/g)?.map((cell) => cell.replace(/,$/, '').replace(/^"|"$/g, '')) ?? [];
    const [year, , , coo, , , coa] = cells;
    if (!ASYLUM.has(coa) || Number(year) < 2015 || Number(year) > 2020) continue;
    csv += line + '\n';
    TYPE_COLUMNS.forEach((type, i) => {
      const value = Number(cells[7 + i] || 0);
      // Returned refugees count for their country of origin, and nothing else is filed there.
      const operation = type === 'RET' ? coo : coa;
      if (value > 0 && operation !== 'UNK' && operation !== 'XXA') {
        add(`${operation}|${coo}|${year}|${type}`, value);
        add(`${operation}|${year}`, value);
      }
    });
  }
  return { csv, sums };
}

describe('data API end to end', () => {
  const ns = testNamespace('data-api-e2e');
  let stack: Stack;
  let api: string;
  let kafka: Kafka;
  let sums: Map<string, number>;

  beforeAll(async () => {
    kafka = testKafka(ns);
    const real = await realRows();
    sums = real.sums;
    stack = await startStack({
      namespace: ns,
      appEnv: {
        'api-gateway': { GATEWAY_API_KEYS: `editor:editor:${EDITOR}`, PORTAL_DIR: '/nonexistent/portal', RATE_LIMIT_MAX: '100000' },
      },
      echo: process.env['STACK_ECHO'] ? (line) => process.stdout.write(line) : undefined,
    });
    api = `${stack.gatewayUrl}/api/v1`;
    const imported = await fetch(`${api}/imports/population?source=UNHCR%20population%20statistics%202025.06.1`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-api-key': EDITOR },
      body: real.csv,
    });
    expect(imported.status).toBe(201);
    // Every operation's view has the file's total for 2020 once the import is projected.
    await eventually(
      async () => {
        const rows = await page('/population?year=2020&groupBy=operation&limit=1000');
        return [...ASYLUM].every((code) => rows.find((r) => r.operation === code)?.value === sums.get(`${code}|2020`)) ? rows : undefined;
      },
      120_000,
      'the imported figures are in the data API',
    );
  }, 360_000);

  afterAll(async () => {
    await stack?.stop();
    await cleanUpStack(ns, process.env['MONGO_URL'], kafka);
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${api}${path}`, { headers });
  async function page(path: string): Promise<Row[]> {
    const response = await get(path);
    expect(response.status).toBe(200);
    return ((await response.json()) as { rows: Row[] }).rows;
  }
  /** Every row of a query, following its cursors. */
  async function all(path: string, limit: number): Promise<Row[]> {
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const response = await get(`${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      const body = (await response.json()) as { rows: Row[]; nextCursor: string | null };
      rows.push(...body.rows);
      cursor = body.nextCursor;
    } while (cursor);
    return rows;
  }

  it("answers the real file's counts by country, origin and year, and sums over what is not grouped by", async () => {
    for (const [operation, origin, year, type] of [
      ['DEU', 'SYR', 2018, 'REF'],
      ['TUR', 'SYR', 2016, 'REF'],
      ['DEU', 'AFG', 2020, 'ASY'],
      ['KAZ', 'AFG', 2019, 'REF'],
    ] as const) {
      const rows = await page(`/population?operation=${operation}&origin=${origin}&year=${year}&type=${type}`);
      expect(rows).toEqual([
        expect.objectContaining({ operation, origin, year, type, value: sums.get(`${operation}|${origin}|${year}|${type}`) }),
      ]);
      expect(rows[0]).toHaveProperty('sources', [{ name: 'UNHCR population statistics 2025.06.1', asOf: `${year}-12-31` }]);
    }
    const byYear = await page('/population?operation=DEU&yearFrom=2015&yearTo=2020&groupBy=year');
    expect(byYear.map((r) => [r.year, r.value])).toEqual([2015, 2016, 2017, 2018, 2019, 2020].map((y) => [y, sums.get(`DEU|${y}`)]));
    expect(byYear[0]).not.toHaveProperty('operation');
  });

  it("leaves an operation's view as it was: its breakdown sums every origin", async () => {
    const view = (await (await get('/operations/DEU?year=2018')).json()) as {
      peopleOfConcern: { total: number; breakdown: Array<[string, number]> };
    };
    expect(view.peopleOfConcern.total).toBe(sums.get('DEU|2018'));
    const byType = await page('/population?operation=DEU&year=2018&groupBy=type');
    expect(view.peopleOfConcern.breakdown.reduce((sum, [, value]) => sum + value, 0)).toBe(byType.reduce((sum, r) => sum + r.value, 0));
  });

  it('pages with an opaque cursor to exactly the rows of one long page', async () => {
    const whole = await page('/population?operation=KAZ,TUR&yearFrom=2019&limit=1000');
    expect(whole.length).toBeGreaterThan(20);
    expect(await all('/population?operation=KAZ,TUR&yearFrom=2019', 7)).toEqual(whole);
    expect(await all('/population?yearFrom=2019&groupBy=origin,type', 50)).toEqual(
      await page('/population?yearFrom=2019&groupBy=origin,type&limit=1000'),
    );
  });

  it('gives the same rows as CSV, streamed, with an HXL row when asked', async () => {
    const json = await all('/population?operation=DEU,KAZ', 1000);
    const response = await get('/population?operation=DEU,KAZ&hxl=true', { accept: 'text/csv' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, hxl, ...lines] = (await response.text()).trimEnd().split('\r\n');
    expect(header).toBe('operation,origin,year,type,value,source');
    expect(hxl).toBe('#country+code+asylum,#country+code+origin,#date+year,#population+type+code,#affected+num,#meta+source');
    expect(lines.length).toBe(json.length);
    const asCsv = json.map((r) =>
      [r.operation, r.origin ?? '', r.year, r.type, r.value, 'UNHCR population statistics 2025.06.1 (' + r.year + '-12-31)'].join(','),
    );
    expect(lines).toEqual(asCsv);
    const csvPage = await get('/population?operation=DEU&year=2018&groupBy=type&format=csv');
    expect((await csvPage.text()).split('\r\n')[0]).toBe('type,value,source');
  });

  it('refuses unknown parameters, repeated ones, inverted ranges and unknown codes with a 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['coa=DEU', 'coa'],
      ['yearFrom=2020&yearTo=2015', 'yearFrom'],
      ['origin=SYR,ZZZ', 'origin'],
      ['type=REF,XYZ', 'type'],
      ['operation=NOPE', 'operation'],
      ['groupBy=country', 'groupBy'],
      ['limit=1001', 'limit'],
      ['cursor=abc', 'cursor'],
      ['year=2018&year=2019', 'year'],
      ['hxl=true', 'hxl'],
    ]) {
      const response = await get(`/population?${query}`);
      expect({ query, status: response.status, type: response.headers.get('content-type') }).toEqual({
        query,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(((await response.json()) as { errors: Array<{ field: string }> }).errors[0].field).toBe(field);
    }
    expect((await get('/budget?origin=SYR')).status).toBe(400);
    expect((await get('/key-figures?groupBy=year')).status).toBe(400);
  });

  it('answers 304 while the data is unchanged, for JSON and CSV, and a new ETag once it changed', async () => {
    const path = '/population?operation=KAZ&year=2019&groupBy=type';
    const first = await get(path);
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"\d+-population-/);
    expect((await get(path, { 'if-none-match': etag })).status).toBe(304);
    const csv = await get(`${path}&format=csv`);
    const csvEtag = csv.headers.get('etag') as string;
    const csvNotModified = await get(`${path}&format=csv`, { 'if-none-match': csvEtag });
    expect(csvNotModified.status).toBe(304);
    // An export is streamed, not held; its 304 (from the ETag the gateway kept) says what every read's does.
    expect(first.headers.get('cache-control')).toBeTruthy();
    expect([csv.headers.get('cache-control'), csvNotModified.headers.get('cache-control')]).toEqual([
      first.headers.get('cache-control'),
      first.headers.get('cache-control'),
    ]);
    // A CSV page is held like a JSON one: the same bytes again, with the way to the next page.
    const csvPage = `/population?operation=KAZ&yearFrom=2015&format=csv&limit=2`;
    const pages = [await get(csvPage), await get(csvPage)];
    expect(pages[0].headers.get('next-cursor')).toBeTruthy();
    expect(pages.map((p) => [p.headers.get('etag'), p.headers.get('next-cursor'), p.headers.get('content-type')])).toEqual([
      [pages[0].headers.get('etag'), pages[0].headers.get('next-cursor'), 'text/csv; charset=utf-8'],
      [pages[0].headers.get('etag'), pages[0].headers.get('next-cursor'), 'text/csv; charset=utf-8'],
    ]);
    expect(await pages[1].text()).toBe(await pages[0].text());
    const put = await fetch(`${api}/operations/KAZ/population/2019/HST`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': EDITOR },
      body: JSON.stringify({ value: 7 }),
    });
    expect(put.status).toBe(201);
    const changed = await eventually(
      async () => {
        const response = await get(path, { 'if-none-match': etag });
        return response.status === 200 ? ((await response.json()) as { rows: Row[] }).rows : undefined;
      },
      30_000,
      'the change drops the cached answer',
    );
    expect(changed.find((r) => r.type === 'HST')?.value).toBe(7);
    expect((await get(`${path}&format=csv`, { 'if-none-match': csvEtag })).status).toBe(200);
  });

  it('lists the codes it uses, and what each operation holds data for', async () => {
    const countries = (await (await get('/reference/countries')).json()) as Array<{
      code: string;
      name: { en: string; fr: string };
      region: string | null;
    }>;
    expect(countries.find((c) => c.code === 'DEU')).toEqual({
      code: 'DEU',
      name: { en: 'Germany', fr: 'Allemagne' },
      region: 'Europe',
      subregion: 'Western Europe',
    });
    expect(countries.find((c) => c.code === 'XXA')?.name.en).toBe('Stateless');
    expect(((await (await get('/reference/population-types')).json()) as unknown[]).length).toBe(9);
    expect(((await (await get('/reference/pillars')).json()) as unknown[]).length).toBe(4);
    const reference = await get('/reference/pillars');
    expect((await get('/reference/pillars', { 'if-none-match': reference.headers.get('etag') as string })).status).toBe(304);
    const [availability] = (await (await get('/reference/availability?operation=TUR')).json()) as Array<{
      operation: string;
      population: { years: number[]; types: string[] };
    }>;
    expect(availability.operation).toBe('TUR');
    expect(availability.population.years).toEqual(expect.arrayContaining([2015, 2020]));
    expect(availability.population.types).toContain('REF');
  });

  it('gives the contributions list as CSV too, the same rows as its JSON', async () => {
    for (const [date, name] of [
      ['2019-07-18', 'European Union'],
      ['2019-05-02', 'Japan, Government of'],
    ]) {
      const recorded = await fetch(`${api}/contributions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': EDITOR, 'idempotency-key': `data-${date}` },
        body: JSON.stringify({ donor: { name, type: 'government' }, date, operationCode: 'KAZ', status: 'paid', amountUsd: 1234.5 }),
      });
      expect(recorded.status).toBe(201);
    }
    const json = (await (await get('/contributions?operation=KAZ')).json()) as {
      items: Array<{ id: string; date: string; donor: { name: string; type: string }; amountUsd?: number; status: string }>;
    };
    expect(json.items).toHaveLength(2);
    const csv = await get('/contributions?operation=KAZ&format=csv&hxl=true');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, hxl, ...lines] = (await csv.text()).trimEnd().split('\r\n');
    expect(header).toBe('id,date,donor,donor_type,amount_usd,operation,status');
    expect(hxl).toBe('#activity+id,#date,#org+donor+name,#org+donor+type,#value+funding+usd,#country+code,#status');
    const quoted = (text: string) => (text.includes(',') ? `"${text}"` : text);
    expect(lines).toEqual(
      json.items.map((c) => [c.id, c.date, quoted(c.donor.name), c.donor.type, c.amountUsd, 'KAZ', c.status].join(',')),
    );
    expect((await get('/contributions?operation=KAZ&format=csv&hxl=yes')).status).toBe(400);

    // Every answer named by its content: a client that has it is answered 304, until a contribution changes it.
    const answers = [
      '/contributions?operation=KAZ',
      '/contributions?operation=KAZ&format=csv',
      '/contributions?operation=KAZ&format=csv&limit=1',
    ];
    const etags: string[] = [];
    for (const path of answers) {
      const answer = await get(path);
      const etag = answer.headers.get('etag') ?? '';
      expect([answer.status, etag, answer.headers.get('cache-control')]).toEqual([
        200,
        expect.stringMatching(/^"[\w-]{27}"$/),
        expect.stringMatching(/^public/),
      ]);
      expect((await get(path, { 'if-none-match': etag })).status).toBe(304);
      etags.push(etag);
    }
    expect(new Set(etags).size).toBe(answers.length);
    const another = await fetch(`${api}/contributions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': EDITOR },
      body: JSON.stringify({ donor: { name: 'Norway', type: 'government' }, date: '2019-09-01', operationCode: 'KAZ', status: 'pledged' }),
    });
    expect(another.status).toBe(201);
    for (const [i, path] of answers.entries()) {
      const revalidated = await get(path, { 'if-none-match': etags[i] });
      expect([path, revalidated.status]).toEqual([path, 200]);
      expect(revalidated.headers.get('etag')).not.toBe(etags[i]);
    }
  });

  it('refuses an import whose every row is rejected with a 422 naming the first bad lines, and writes nothing', async () => {
    const header =
      'year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n';
    const response = await fetch(`${api}/imports/population`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-api-key': EDITOR },
      body: header + '2018,$where,X,$where,Testland,TST,TST,1,,,,,,,,\n2018,Afghanistan,AFG,AFG,Testland,TST,TST,{"$gt":1},,,,,,,,\n',
    });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { detail: string; errors: Array<{ field: string }> };
    expect(problem.errors.map((e) => e.field)).toEqual(['line 2', 'line 3']);
    expect(problem.detail).toMatch(/All 2 rows were rejected/);
  });
});
