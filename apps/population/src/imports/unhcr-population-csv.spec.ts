import { UNHCR_POPULATION_COLUMNS } from '@focus/contracts';
import { checkHeader, parseRow } from './unhcr-population-csv';

// One row of UNHCR's population API: year, origin, asylum, then the nine counts.
const row = (counts: string, origin = 'Uzbekistan,UZB,UZB', asylum = 'Kazakhstan,KAZ,KAZ', year = '2018') =>
  `${year},${origin},${asylum},${counts}`;

describe("UNHCR's population CSV", () => {
  it('accepts exactly the API columns, in order', () => {
    expect(checkHeader([...UNHCR_POPULATION_COLUMNS])).toBeUndefined();
    expect(checkHeader(['year', 'coa_iso', 'refugees'])).toMatch(/expected the columns of UNHCR's population API/);
  });

  it('counts every type for the country of asylum by origin, except returned refugees, who count for their country of origin, as their origin', () => {
    expect(parseRow(row('568,190,5,0,0,7,0,,0'))).toEqual({
      counts: [
        { code: 'KAZ', name: 'Kazakhstan', year: 2018, type: 'REF', origin: 'UZB', value: 568 },
        { code: 'KAZ', name: 'Kazakhstan', year: 2018, type: 'ASY', origin: 'UZB', value: 190 },
        { code: 'UZB', name: 'Uzbekistan', year: 2018, type: 'RET', origin: 'UZB', value: 5 },
        { code: 'KAZ', name: 'Kazakhstan', year: 2018, type: 'IDP', origin: 'UZB', value: 0 },
        { code: 'KAZ', name: 'Kazakhstan', year: 2018, type: 'RDP', origin: 'UZB', value: 0 },
        { code: 'KAZ', name: 'Kazakhstan', year: 2018, type: 'STA', origin: 'UZB', value: 7 },
        { code: 'KAZ', name: 'Kazakhstan', year: 2018, type: 'OOC', origin: 'UZB', value: 0 },
        { code: 'KAZ', name: 'Kazakhstan', year: 2018, type: 'HST', origin: 'UZB', value: 0 },
      ],
      skipped: [],
    });
  });

  it('reads an empty cell as "not reported": no figure at all, never a zero', () => {
    const parsed = parseRow(row(',,,,,,,,'));
    expect(parsed).toEqual({ counts: [], skipped: [] });
    const some = parseRow(row('12,,,,,,,,'));
    expect('counts' in some && some.counts.map((c) => [c.type, c.value])).toEqual([['REF', 12]]);
  });

  it('gives unknown and stateless origins no operation, and says so only when people are counted', () => {
    const parsed = parseRow(row('3,0,4,0,0,0,0,0,0', 'Unknown,UKN,UNK'));
    expect('counts' in parsed && parsed.counts.map((c) => `${c.code}:${c.type}`)).toEqual([
      'KAZ:REF',
      'KAZ:ASY',
      'KAZ:IDP',
      'KAZ:RDP',
      'KAZ:STA',
      'KAZ:OOC',
      'KAZ:OIP',
      'KAZ:HST',
    ]);
    expect('skipped' in parsed && parsed.skipped).toEqual(['returned_refugees: no operation for country of origin "UNK"']);
    const none = parseRow(row('0,0,0,0,0,0,0,0,0', 'Stateless,XXA,XXA'));
    expect('skipped' in none && none.skipped).toEqual([]);
  });

  it('refuses a row it cannot read, with the reason, rather than guessing', () => {
    expect(parseRow(row('12,x,,,,,,,'))).toEqual({ error: 'asylum_seekers "x" is not a whole number of people' });
    expect(parseRow(row('-1,,,,,,,,'))).toEqual({ error: 'refugees "-1" is not a whole number of people' });
    expect(parseRow(row('1.5,,,,,,,,'))).toEqual({ error: 'refugees "1.5" is not a whole number of people' });
    expect(parseRow(row('1000000001,,,,,,,,'))).toEqual({ error: 'refugees "1000000001" is not a whole number of people' });
    expect(parseRow(row('1,,,,,,,,', undefined, undefined, '1949'))).toEqual({ error: 'year "1949" is not between 1950 and 2100' });
    expect(parseRow(row('1,,,,,,,'))).toEqual({ error: 'expected 16 fields, got 15' });
    expect(parseRow('2018,"Kazakhstan')).toHaveProperty('error');
    expect(parseRow(row('1,,,,,,,,', 'Nowhere,NOW,NOW'))).toEqual({
      error: 'coo_iso "NOW" is not a country code (see /api/v1/reference/countries)',
    });
  });

  it('reads quoted names with commas', () => {
    const parsed = parseRow(row('9,,,,,,,,', 'Unknown,UKN,UNK', '"Korea, Republic of",KOR,KOR'));
    expect('counts' in parsed && parsed.counts).toEqual([
      { code: 'KOR', name: 'Korea, Republic of', year: 2018, type: 'REF', origin: 'UNK', value: 9 },
    ]);
  });
});
