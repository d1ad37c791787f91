import {
  isCountryCode,
  isOperationCode,
  PopulationType,
  STATELESS_ORIGIN,
  UNKNOWN_ORIGIN,
  UNHCR_POPULATION_COLUMNS,
  UnhcrPopulationColumn,
  YEAR_MAX,
  YEAR_MIN,
  COUNT_MAX,
} from '@focus/contracts';
import { splitCsvLine } from './csv-lines';

/** Which column feeds which population type, and whose operation it counts for. */
const COUNT_COLUMNS: ReadonlyArray<{ column: UnhcrPopulationColumn; type: PopulationType; countsFor: 'asylum' | 'origin' }> = [
  { column: 'refugees', type: 'REF', countsFor: 'asylum' },
  { column: 'asylum_seekers', type: 'ASY', countsFor: 'asylum' },
  // Returned refugees are back in their own country: they count for the country of origin, as
  // UNHCR counts them, under that same country as their origin (the country they came back
  // from, coa, is summed away: Focus keeps people's origin, not their route).
  { column: 'returned_refugees', type: 'RET', countsFor: 'origin' },
  { column: 'idps', type: 'IDP', countsFor: 'asylum' },
  { column: 'returned_idps', type: 'RDP', countsFor: 'asylum' },
  { column: 'stateless', type: 'STA', countsFor: 'asylum' },
  { column: 'ooc', type: 'OOC', countsFor: 'asylum' },
  { column: 'oip', type: 'OIP', countsFor: 'asylum' },
  { column: 'hst', type: 'HST', countsFor: 'asylum' },
];

/** ISO-like codes UNHCR uses for "unknown" and "stateless" origins: no operation of their own. */
const NOT_AN_OPERATION = new Set([UNKNOWN_ORIGIN, STATELESS_ORIGIN]);

export interface RowCount {
  code: string;
  name: string;
  year: number;
  type: PopulationType;
  /** The people's country of origin (coo_iso). */
  origin: string;
  value: number;
}

export function checkHeader(fields: string[]): string | undefined {
  const missing = UNHCR_POPULATION_COLUMNS.filter((column, i) => fields[i]?.trim() !== column);
  return missing.length
    ? `expected the columns of UNHCR's population API (${UNHCR_POPULATION_COLUMNS.join(',')}); got ${fields.join(',').slice(0, 300)}`
    : undefined;
}

/**
 * One CSV row as the counts it reports. An empty cell is "not reported" and yields nothing:
 * it is not a zero. Returns the reason when the row cannot be used.
 */
export function parseRow(line: string): { counts: RowCount[]; skipped: string[] } | { error: string } {
  let fields: string[];
  try {
    fields = splitCsvLine(line);
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (fields.length !== UNHCR_POPULATION_COLUMNS.length)
    return { error: `expected ${UNHCR_POPULATION_COLUMNS.length} fields, got ${fields.length}` };
  const cell = (column: UnhcrPopulationColumn) => fields[UNHCR_POPULATION_COLUMNS.indexOf(column)].trim();
  const year = /^\d{4}$/.test(cell('year')) ? Number(cell('year')) : NaN;
  if (!(year >= YEAR_MIN && year <= YEAR_MAX)) return { error: `year "${cell('year')}" is not between ${YEAR_MIN} and ${YEAR_MAX}` };

  const origin = cell('coo_iso');
  if (!isCountryCode(origin)) return { error: `coo_iso "${origin.slice(0, 20)}" is not a country code (see /api/v1/reference/countries)` };

  const counts: RowCount[] = [];
  const skipped: string[] = [];
  for (const { column, type, countsFor } of COUNT_COLUMNS) {
    const raw = cell(column);
    if (raw === '') continue;
    if (!/^\d+$/.test(raw) || Number(raw) > COUNT_MAX) return { error: `${column} "${raw.slice(0, 20)}" is not a whole number of people` };
    const code = countsFor === 'asylum' ? cell('coa_iso') : cell('coo_iso');
    const name = countsFor === 'asylum' ? cell('coa_name') : cell('coo_name');
    if (!isOperationCode(code) || NOT_AN_OPERATION.has(code)) {
      if (Number(raw) > 0)
        skipped.push(`${column}: no operation for ${countsFor === 'asylum' ? 'country of asylum' : 'country of origin'} "${code}"`);
      continue;
    }
    counts.push({ code, name, year, type, origin, value: Number(raw) });
  }
  return { counts, skipped };
}
