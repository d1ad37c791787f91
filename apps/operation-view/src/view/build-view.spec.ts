import {
  BudgetLineState,
  centsToMillions,
  entityIds,
  KeyFigureSetState,
  NarrativeSectionState,
  PopulationTotalState,
} from '@focus/contracts';
import { emptyState, OperationState } from '../projection/operation-state';
import { seedState } from '../testing/seed-state';
import { buildView, defaultYear, yearsWithData } from './build-view';

// The seed page, figure by figure: what GET /operations/KAZ-RO?year=2018 must show.
describe('the combined view of the seed operation', () => {
  const view = buildView(seedState(), { code: 'KAZ-RO', year: 2018, lang: 'en', version: 1, updatedAt: new Date(0) });

  it('people of concern: totals 2016-2018, the trend, and the 2018 breakdown', () => {
    expect(view.peopleOfConcern).toEqual({
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
  });

  it('sums the figures of a type by origin into its slice, so the breakdown and totals stay what they were', () => {
    const state = seedState();
    const source = { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' };
    delete state.figures[entityIds.populationFigure('KAZ-RO', 2018, 'REF')];
    for (const [origin, value] of [
      ['AFG', 500],
      ['UZB', 88],
      ['SYR', 0],
    ] as const) {
      state.figures[entityIds.populationFigure('KAZ-RO', 2018, 'REF', origin)] = {
        v: 1,
        s: { operationCode: 'KAZ-RO', year: 2018, type: 'REF', origin, value, source },
      };
    }
    const byOrigin = buildView(state, { code: 'KAZ-RO', year: 2018, lang: 'en', version: 1, updatedAt: new Date(0) });
    expect(byOrigin.peopleOfConcern).toEqual(view.peopleOfConcern);
  });

  it("names the sources of the year's figures: each distinct release, or the reported total's where there is no breakdown", () => {
    const state = seedState();
    const revised = { name: 'UNHCR population statistics 2025.06.1', asOf: '2018-12-31' };
    state.figures[entityIds.populationFigure('KAZ-RO', 2018, 'REF')] = {
      v: 2,
      s: { operationCode: 'KAZ-RO', year: 2018, type: 'REF', value: 568, source: revised },
    };
    const at = (year: number) =>
      buildView(state, { code: 'KAZ-RO', year, lang: 'en', version: 1, updatedAt: new Date(0) }).peopleOfConcern.sources;
    expect(at(2018)).toEqual([{ name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' }, revised]);
    expect(at(2016)).toEqual([{ name: 'UNHCR Global Focus 2019', asOf: '2016-12-31' }]);
    expect(at(2030)).toEqual([]);
  });

  it('budget and expenditure 2014-2019, in total and per pillar, with their nulls', () => {
    expect(view.budget).toEqual({
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
  });

  it('key figures: 2018 results and 2019 planning', () => {
    expect(view.keyFigures.results.year).toBe(2018);
    expect(view.keyFigures.results.items.map((i) => [i.value, i.unit])).toEqual([
      [100, 'percent'],
      [742, 'persons'],
      [197, 'people'],
      [134, 'households'],
    ]);
    expect(view.keyFigures.planning.year).toBe(2019);
    expect(view.keyFigures.planning.items.map((i) => i.value)).toEqual([100, 85, 650]);
  });

  it('the six narrative sections in the page order, with their titles', () => {
    expect(view.narratives.sections.map((s) => s.title)).toEqual([
      'Operational environment',
      'Population trends',
      'Key achievements',
      'Unmet needs',
      'Working environment',
      'Key priorities',
    ]);
    expect(view.narratives.sections[0].body).toMatch(/^In 2018, the political and operational environment in Kazakhstan remained stable\./);
  });

  it('falls back to English section by section in French, and labels the breakdown in French', () => {
    const fr = buildView(seedState(), { code: 'KAZ-RO', year: 2018, lang: 'fr', version: 1, updatedAt: new Date(0) });
    expect(fr.narratives.sections.map((s) => [s.title, s.lang])[0]).toEqual(['Operational environment', 'en']);
    expect(fr.peopleOfConcern.breakdown[0]).toEqual(['Réfugiés', 588]);
  });

  it('money from cents never drifts', () => {
    expect(centsToMillions(740638597)).toBe(7.40638597);
    expect(centsToMillions(9035000)).toBe(0.09035);
    expect(centsToMillions(0)).toBe(0);
    expect(String(centsToMillions(499603601 + 231999996 + 9035000))).toBe('7.40638597');
  });
});

// GET /operations/{code} without ?year: the year the page opens on.
describe('the default year of a view', () => {
  const CODE = 'KAZ-RO';
  const options = { code: CODE, lang: 'en' as const, version: 1, updatedAt: new Date(0) };
  const withPlan = (state: OperationState, year: number) => {
    state.keyFigures[entityIds.keyFigureSet(CODE, year, 'plan')] = {
      v: 1,
      s: { operationCode: CODE, year, kind: 'plan', items: [{ value: 1, unit: 'people', text: { en: 'planned' } }] } as KeyFigureSetState,
    };
    return state;
  };
  const withBudget = (state: OperationState, year: number, expenditureCents: number | null) => {
    state.budget[entityIds.budgetLine(CODE, year, 1)] = {
      v: 1,
      s: { operationCode: CODE, year, pillar: 1, budgetCents: 100, expenditureCents } as BudgetLineState,
    };
    return state;
  };
  const withNarrative = (state: OperationState, year: number) => {
    state.sections[entityIds.narrativeSection(CODE, year, 'en', 'key-priorities')] = {
      v: 1,
      s: { operationCode: CODE, year, lang: 'en', section: 'key-priorities', body: 'Planned.' } as NarrativeSectionState,
    };
    return state;
  };
  const withTotal = (state: OperationState, year: number) => {
    state.totals[entityIds.populationTotal(CODE, year)] = {
      v: 1,
      s: { operationCode: CODE, year, total: 1, source: { name: 'test', asOf: `${year}-12-31` } } as PopulationTotalState,
    };
    return state;
  };

  it("is the seed page's 2018, not 2019, which has only plans and a budget not spent yet", () => {
    const state = seedState();
    expect(yearsWithData(state).at(-1)).toBe(2019);
    expect(defaultYear(state)).toBe(2018);
    const { meta: _a, ...byDefault } = buildView(state, options);
    const { meta: _b, ...of2018 } = buildView(state, { ...options, year: 2018 });
    expect(byDefault).toEqual(of2018);
    expect(byDefault.peopleOfConcern.total).toBe(88419);
  });

  it('moves on with anything reported for a later year: people of concern, results or expenditure', () => {
    expect(defaultYear(withTotal(seedState(), 2019))).toBe(2019);
    expect(defaultYear(withBudget(seedState(), 2019, 250))).toBe(2019);
    const results = seedState();
    results.keyFigures[entityIds.keyFigureSet(CODE, 2019, 'result')] = {
      v: 1,
      s: { operationCode: CODE, year: 2019, kind: 'result', items: [] } as KeyFigureSetState,
    };
    expect(defaultYear(results)).toBe(2019);
  });

  it('does not move on with later plans, unspent budgets, narratives or deleted figures', () => {
    const state = withNarrative(withBudget(withPlan(seedState(), 2021), 2020, null), 2020);
    state.totals[entityIds.populationTotal(CODE, 2022)] = { v: 2, s: null };
    expect(defaultYear(state)).toBe(2018);
    expect(buildView(state, options).years.at(-1)).toBe(2021); // still listed, and can be asked for
  });

  it('is the latest year with any data while nothing is reported', () => {
    expect(defaultYear(withNarrative(withBudget(withPlan(emptyState(), 2021), 2022, null), 2020))).toBe(2022);
  });
});
