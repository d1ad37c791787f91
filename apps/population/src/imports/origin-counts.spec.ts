import { keptCounts, OriginCount } from './origin-counts';

const count = (origin: string, value: number, type: OriginCount['type'] = 'REF', year = 2018): OriginCount => ({ code: 'KAZ', year, type, origin, value });

describe('keptCounts', () => {
  it('keeps every non-zero count, and drops the zeros of a type that has some', () => {
    expect(keptCounts([count('UZB', 0), count('AFG', 12), count('SYR', 0), count('UNK', 3)])).toEqual([count('AFG', 12), count('UNK', 3)]);
  });

  it('keeps one zero, the first reported, for a type no origin has people of, so a reported zero stays reported', () => {
    const counts = [count('UZB', 0, 'IDP'), count('AFG', 0, 'IDP'), count('AFG', 0, 'IDP', 2019)];
    expect(keptCounts(counts)).toEqual([count('UZB', 0, 'IDP'), count('AFG', 0, 'IDP', 2019)]);
  });
});
