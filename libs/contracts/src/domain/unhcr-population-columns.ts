/**
 * The columns of UNHCR's population API (`/population/v1/population`), in its order: the
 * header `POST /imports/population` accepts, and so part of the public contract. Counts
 * follow the seven identity columns; an empty count cell is "not reported", not 0.
 */
export const UNHCR_POPULATION_COLUMNS = [
  'year',
  'coo_name',
  'coo',
  'coo_iso',
  'coa_name',
  'coa',
  'coa_iso',
  'refugees',
  'asylum_seekers',
  'returned_refugees',
  'idps',
  'returned_idps',
  'stateless',
  'ooc',
  'oip',
  'hst',
] as const;

export type UnhcrPopulationColumn = (typeof UNHCR_POPULATION_COLUMNS)[number];
