import { ProblemException } from '@focus/service-kit';
import { compareKeys, encodeCursor, parseDataQuery } from './data-query';

function refusal(run: () => unknown): { field: string; detail: string } {
  try {
    run();
  } catch (error) {
    const problem = (error as ProblemException).problem;
    return { field: problem.errors?.[0]?.field ?? '', detail: problem.detail ?? '' };
  }
  throw new Error('not refused');
}

describe('parseDataQuery', () => {
  it('reads filters as sets, an open year range, and groupBy in canonical order', () => {
    const query = parseDataQuery(
      'population',
      { operation: 'DEU,TUR', origin: 'SYR', yearFrom: '2015', type: 'REF,ASY', groupBy: 'year,operation' },
      undefined,
    );
    expect(query).toMatchObject({ yearFrom: 2015, yearTo: 2100, groupBy: ['operation', 'year'], limit: 100, format: 'json', hxl: false });
    expect([...(query.operations ?? [])]).toEqual(['DEU', 'TUR']);
    expect([...(query.types ?? [])]).toEqual(['REF', 'ASY']);
    expect(parseDataQuery('population', {}, undefined).groupBy).toEqual(['operation', 'origin', 'year', 'type']);
  });

  it('takes CSV from format or Accept, and streams the whole table unless a limit is given', () => {
    expect(parseDataQuery('budget', {}, 'text/csv')).toMatchObject({ format: 'csv', limit: undefined });
    expect(parseDataQuery('budget', { format: 'json' }, 'text/csv')).toMatchObject({ format: 'json', limit: 100 });
    expect(parseDataQuery('budget', { format: 'csv', hxl: 'true', limit: '10' }, undefined)).toMatchObject({
      format: 'csv',
      hxl: true,
      limit: 10,
    });
  });

  it.each([
    ['population', { coa: 'DEU' }, 'coa'],
    ['population', { year: ['2018', '2019'] }, 'year'],
    ['population', { yearFrom: '2020', yearTo: '2019' }, 'yearFrom'],
    ['population', { year: '2018', yearTo: '2019' }, 'year'],
    ['population', { year: '18' }, 'year'],
    ['population', { origin: 'SYR,Syria' }, 'origin'],
    ['population', { type: 'REF,' }, 'type'],
    ['population', { operation: 'kaz' }, 'operation'],
    ['population', { groupBy: 'operation,pillar' }, 'groupBy'],
    ['population', { limit: '0' }, 'limit'],
    ['population', { limit: '1001' }, 'limit'],
    ['population', { hxl: 'true' }, 'hxl'],
    ['population', { format: 'xml' }, 'format'],
    ['budget', { pillar: '5' }, 'pillar'],
    ['budget', { type: 'REF' }, 'type'],
    ['key-figures', { kind: 'results' }, 'kind'],
    ['key-figures', { groupBy: 'year' }, 'groupBy'],
  ] as const)('%s %j: 400 naming %s', (dataset, query, field) => {
    expect(refusal(() => parseDataQuery(dataset, query as Record<string, unknown>, undefined)).field).toBe(field);
  });

  it('takes back only the cursors of the same list and grouping', () => {
    const cursor = encodeCursor('population', ['operation', 'year'], ['DEU', 2018]);
    expect(parseDataQuery('population', { cursor, groupBy: 'operation,year' }, undefined).after).toEqual(['DEU', 2018]);
    expect(refusal(() => parseDataQuery('population', { cursor }, undefined)).field).toBe('cursor');
    expect(refusal(() => parseDataQuery('budget', { cursor, groupBy: 'operation,year' }, undefined)).field).toBe('cursor');
    expect(refusal(() => parseDataQuery('population', { cursor: 'not-a-cursor' }, undefined)).field).toBe('cursor');
  });
});

describe('compareKeys', () => {
  it('orders part by part, numbers as numbers', () => {
    expect(compareKeys(['DEU', 2018], ['DEU', 2019])).toBeLessThan(0);
    expect(compareKeys(['DEU', 900], ['DEU', 2019])).toBeLessThan(0);
    expect(compareKeys(['TUR', 2018], ['DEU', 2019])).toBeGreaterThan(0);
    expect(compareKeys(['', 2018], ['AFG', 2018])).toBeLessThan(0);
    expect(compareKeys(['DEU', 2018], ['DEU', 2018])).toBe(0);
  });
});
