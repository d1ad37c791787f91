import { OriginCount, OriginCounts } from './origin-counts';

const count = (origin: string, value: number, type: OriginCount['type'] = 'REF', year = 2018): OriginCount => ({
  code: 'KAZ',
  year,
  type,
  origin,
  value,
});

function kept(counts: OriginCount[]): OriginCount[] {
  const gathered = new OriginCounts();
  for (const c of counts) gathered.add(c);
  return gathered.kept();
}

describe('OriginCounts', () => {
  it('keeps every non-zero count, and drops the zeros of a type that has some', () => {
    expect(kept([count('UZB', 0), count('AFG', 12), count('SYR', 0), count('UNK', 3)])).toEqual([count('AFG', 12), count('UNK', 3)]);
  });

  it('keeps one zero, the first reported, for a type no origin has people of, so a reported zero stays reported', () => {
    const counts = [count('UZB', 0, 'IDP'), count('AFG', 0, 'IDP'), count('AFG', 0, 'IDP', 2019)];
    expect(kept(counts)).toEqual([count('UZB', 0, 'IDP'), count('AFG', 0, 'IDP', 2019)]);
  });

  it('sums the rows of one origin (returned refugees, from every country they came back from)', () => {
    expect(kept([count('AFG', 5, 'RET'), count('AFG', 0, 'RET'), count('AFG', 7, 'RET')])).toEqual([count('AFG', 12, 'RET')]);
  });
});
