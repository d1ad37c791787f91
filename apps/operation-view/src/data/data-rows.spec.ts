import { PopulationFigureState } from '@focus/contracts';
import { Projected } from '../projection/operation-state';
import { csvHead, csvLine } from './data-csv';
import { parseDataQuery } from './data-query';
import { BUDGET, DataSet, Group, KEY_FIGURES, liveStates, POPULATION } from './data-rows';

const source = (asOf: string) => ({ name: 'UNHCR', asOf });
const figure = (year: number, type: PopulationFigureState['type'], value: number, origin?: string): PopulationFigureState => ({
  operationCode: 'DEU',
  year,
  type,
  ...(origin ? { origin } : {}),
  value,
  source: source(`${year}-12-31`),
});

/** What dataRows does with one view's states, without a database. */
function rowsOf<S, A, R>(set: DataSet<S, A, R>, states: S[], query: Record<string, unknown>): R[] {
  const parsed = parseDataQuery(set === POPULATION ? 'population' : set === BUDGET ? 'budget' : 'key-figures', query, undefined);
  const groups = new Map<string, Group<A>>();
  for (const state of states)
    for (const part of set.parts(state)) {
      if (!set.matches(part, parsed)) continue;
      const key = parsed.groupBy.map((name) => set.dimension(part, name));
      const id = JSON.stringify(key);
      if (!groups.has(id)) groups.set(id, { key, acc: set.start() });
      set.add((groups.get(id) as Group<A>).acc, part);
    }
  return [...groups.values()].map((group) => set.row(group, parsed.groupBy));
}

describe('data rows', () => {
  const figures = [
    figure(2018, 'REF', 500, 'SYR'),
    figure(2018, 'REF', 30, 'AFG'),
    figure(2018, 'ASY', 7, 'SYR'),
    figure(2019, 'REF', 4),
    figure(2018, 'STA', 0, 'XXA'),
  ];

  it('sums figures over what is not grouped by, with every source, and shows a missing origin as null', () => {
    expect(rowsOf(POPULATION, figures, { groupBy: 'year' })).toEqual([
      { year: 2018, value: 537, sources: [source('2018-12-31')] },
      { year: 2019, value: 4, sources: [source('2019-12-31')] },
    ]);
    expect(rowsOf(POPULATION, figures, { groupBy: 'origin', type: 'REF' }).map((r) => [r.origin, r.value])).toEqual([
      ['SYR', 500],
      ['AFG', 30],
      [null, 4],
    ]);
    expect(rowsOf(POPULATION, figures, { origin: 'SYR', groupBy: 'type' }).map((r) => [r.type, r.value])).toEqual([
      ['REF', 500],
      ['ASY', 7],
    ]);
  });

  it('keeps money exact and an unknown expenditure unknown', () => {
    const lines = [
      { operationCode: 'KAZ', year: 2018, pillar: 1 as const, budgetCents: 740638597, expenditureCents: 364013728 },
      { operationCode: 'KAZ', year: 2018, pillar: 2 as const, budgetCents: 10, expenditureCents: 3 },
      { operationCode: 'KAZ', year: 2019, pillar: 1 as const, budgetCents: 1, expenditureCents: null },
    ];
    expect(rowsOf(BUDGET, lines, { groupBy: 'year' })).toEqual([
      { year: 2018, budgetUsd: 7406386.07, expenditureUsd: 3640137.31 },
      { year: 2019, budgetUsd: 0.01, expenditureUsd: null },
    ]);
  });

  it('lists each key figure as a row of its own, by position', () => {
    const set = {
      operationCode: 'KAZ',
      year: 2018,
      kind: 'result' as const,
      items: [
        { value: 742, unit: 'persons' as const, text: { en: 'assisted' } },
        { value: 85, unit: 'percent' as const, text: { en: 'rate', fr: 'taux' } },
      ],
    };
    // A set as the view holds it: parts() gives each figure its position.
    expect(rowsOf(KEY_FIGURES, [set as unknown as Parameters<typeof KEY_FIGURES.parts>[0]], {})).toEqual([
      { operation: 'KAZ', year: 2018, kind: 'result', position: 1, value: 742, unit: 'persons', textEn: 'assisted', textFr: null },
      { operation: 'KAZ', year: 2018, kind: 'result', position: 2, value: 85, unit: 'percent', textEn: 'rate', textFr: 'taux' },
    ]);
  });

  it('writes CSV with the grouped columns, quoting what needs it, and the HXL row', () => {
    expect(csvHead('population', ['year', 'type'], true)).toBe(
      'year,type,value,source\r\n#date+year,#population+type+code,#affected+num,#meta+source\r\n',
    );
    expect(
      csvLine('population', ['operation', 'origin'], {
        operation: 'DEU',
        origin: null,
        value: 3,
        sources: [{ name: 'A, "B"', asOf: '2018-12-31' }],
      }),
    ).toBe('DEU,,3,"A, ""B"" (2018-12-31)"\r\n');
  });

  it('leaves tombstones out', () => {
    const bucket: Record<string, Projected<PopulationFigureState>> = { a: { v: 2, s: null }, b: { v: 1, s: figure(2018, 'REF', 1) } };
    expect(liveStates(bucket)).toHaveLength(1);
  });
});
