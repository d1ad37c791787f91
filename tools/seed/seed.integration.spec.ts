import { cleanUpStack, Stack, startStack, testKafka, testNamespace } from '@focus/testing';
import { loadSeed } from './load';
import { readSeed } from './seed-requests';

// The acceptance test of the read model: the seed page, loaded through the public API (the
// gateway, which hands each write to its owner service), comes back out of the gateway with
// every figure the page shows. The literals below are the page's own (../shared/seeds), not
// values computed by the code under test.
describe('the seed page through the whole system', () => {
  const ns = testNamespace('seed-acceptance');
  const seed = readSeed();
  let stack: Stack;
  let api: string;

  async function view(query = '?year=2018') {
    const response = await fetch(`${api}/operations/${seed.code}${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  /** The view once the aggregator has applied every write: its version counts them. */
  async function settled(expectedVersion: number) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await fetch(`${api}/operations/${seed.code}?year=2018`);
      if (response.status === 200) {
        const body = (await response.json()) as { meta: { version: number } };
        if (body.meta.version === expectedVersion) return body;
      }
      if (Date.now() > deadline) throw new Error(`the view did not reach version ${expectedVersion}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    stack = await startStack({ namespace: ns });
    api = `${stack.gatewayUrl}/api/v1`;
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await cleanUpStack(ns, process.env['MONGO_URL'], testKafka(ns));
  });

  it('loads through the API and reproduces every figure of the page for 2018', async () => {
    const summary = await loadSeed(seed, { apiUrl: api, apiKey: 'local-dev-editor' });
    expect(summary.statuses).toEqual({ 201: summary.requests });
    // Every write is a new entity at version 1: the view's version is their count.
    await settled(summary.requests);
    const v = await view();

    expect(v['operation']).toEqual({
      code: 'KAZ-RO',
      name: { en: 'Kazakhstan Regional Office', fr: 'Bureau régional au Kazakhstan' },
      region: 'Europe',
      subregion: 'Central Asia',
      offices: [{ name: 'Almaty', kind: 'regional-office', lat: 43.2389, lon: 76.8897 }],
    });
    expect(v['year']).toBe(2018);
    expect(v['years']).toEqual([2014, 2015, 2016, 2017, 2018, 2019]);

    expect(v['peopleOfConcern']).toMatchObject({
      year: 2018,
      total: 88419,
      trend: 'decrease',
      totalsByYear: [
        { year: 2016, total: 95795 },
        { year: 2017, total: 94532 },
        { year: 2018, total: 88419 },
      ],
      breakdown: [
        ['Refugees', 588],
        ['Asylum-seekers', 195],
        ['Returned refugees', 4],
        ['Stateless', 87632],
      ],
      sources: [{ name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' }],
    });

    expect(v['budget']).toEqual({
      unit: 'USD millions',
      categories: [2014, 2015, 2016, 2017, 2018, 2019],
      budget: [7.40638597, 6.99431923, 7.48582672, 5.56728442, 5.52037323, 5.52884917],
      expenditure: [4.11624681, 4.35487869, 3.33722939, 2.89956785, 2.73375977, null],
      budgetByPillar: {
        p1: [4.99603601, 4.7424001, 5.38362755, 4.25892057, 4.40666094, 4.328075],
        p2: [2.31999996, 2.25191913, 2.10219917, 1.30836385, 1.11371229, 1.20077417],
        p3: [null, null, null, null, null, null],
        p4: [0.09035, null, null, null, null, null],
      },
      expenditureByPillar: {
        p1: [2.51744847, 2.58809393, 2.03202186, 1.96719507, 2.02644007, null],
        p2: [1.53616117, 1.76678476, 1.30520753, 0.93237278, 0.7073197, null],
        p3: [null, null, null, null, null, null],
        p4: [0.06263717, null, null, null, null, null],
      },
    });

    const results = v['keyFigures'].results;
    const planning = v['keyFigures'].planning;
    expect(results.year).toBe(2018);
    expect(results.items.map((i: { value: number; text: string }) => [i.value, i.text])).toEqual([
      [100, 'of refugees and asylum-seekers had access to primary health care'],
      [742, 'persons with undetermined nationality were assisted with confirmation of nationality'],
      [197, 'people of concern received legal assistance'],
      [134, 'targeted households received multi-purpose cash grants for basic needs'],
    ]);
    expect(results.items.map((i: { unit: string }) => i.unit)).toEqual(['percent', 'persons', 'people', 'households']);
    expect(planning.year).toBe(2019);
    expect(planning.items.map((i: { value: number; unit: string; text: string }) => [i.value, i.unit, i.text])).toEqual([
      [100, 'percent', 'refugees and asylum-seekers will have access to primary health care'],
      [85, 'percent', 'of targeted households whose basic needs are met with multi-purpose cash grants'],
      [650, 'persons', 'persons with undetermined nationality assisted with confirmation of nationality'],
    ]);

    const sections = v['narratives'].sections as Array<{ title: string; body: string }>;
    expect(sections.map((s) => s.title)).toEqual([
      'Operational environment',
      'Population trends',
      'Key achievements',
      'Unmet needs',
      'Working environment',
      'Key priorities',
    ]);
    // Each section as the page opens it (the key achievements run to three paragraphs, the
    // working environment to two).
    expect(sections.map((s) => s.body.slice(0, 60))).toEqual([
      'In 2018, the political and operational environment in Kazakh',
      'At the end of 2018, there were some 570 refugees and close t',
      'The Government took measures to facilitate integration throu',
      'Due to limited capacity and resources, external relations an',
      'In 2017, Kazakhstan adopted amendments to the Constitution a',
      'UNHCR will focus on reducing refugees’ dependency and enhanc',
    ]);
    expect(sections[2].body).toContain('In 2018, 940 officially registered stateless persons acquired Kazakh nationality');
    expect(sections[2].body).toContain('the joint Regional Conference on the Prevention of Statelessness convened in June 2018');
    expect(sections[4].body).toContain('The majority of refugees originate from Afghanistan, followed by Uzbekistan and Syria.');
    expect(sections[3].body).toMatch(/raised awareness on asylum issues was not achieved\.$/);

    const contributions = v['latestContributions'] as Array<{ id: string; date: string; donor: string }>;
    // Each with its id, as contributions.events carry it, so a live list can match the stream.
    for (const c of contributions) expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // The page's ten dates with its first ten donors, in page order (tools/seed/README.md).
    expect(contributions.map((c) => [c.date, c.donor])).toEqual([
      ['2019-07-17', 'European Union'],
      ['2019-07-16', 'Kuwait'],
      ['2019-07-11', 'Private donors'],
      ['2019-07-10', 'European Union'],
      ['2019-07-08', 'Japan'],
      ['2019-07-05', 'Private donors'],
      ['2019-07-04', 'Argentina'],
      ['2019-07-03', 'Private donors in Sweden'],
      ['2019-07-02', 'Spain'],
      ['2019-06-30', 'Private donors in Oman'],
    ]);
  });

  it('a second load changes nothing and doubles nothing', async () => {
    const before = await view();
    const again = await loadSeed(seed, { apiUrl: api, apiKey: 'local-dev-editor' });
    // PUTs of the same state answer 200 unchanged; contributions replay their Idempotency-Key.
    expect(again.statuses[201]).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = await view();
    expect(after['meta'].version).toBe(before['meta'].version);
    expect(after['latestContributions']).toEqual(before['latestContributions']);
  });

  it('shows 2017 with its reported total and no invented breakdown', async () => {
    const v = await view('?year=2017');
    expect(v['peopleOfConcern']).toMatchObject({
      year: 2017,
      total: 94532,
      trend: 'decrease',
      breakdown: [],
      sources: [{ name: 'UNHCR Global Focus 2019', asOf: '2017-12-31' }],
    });
  });
});
