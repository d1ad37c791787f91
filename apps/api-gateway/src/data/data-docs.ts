import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import {
  BUDGET_DIMENSIONS,
  CONTRIBUTION_COLUMNS,
  DATA_COLUMNS,
  DATA_LIMIT_DEFAULT,
  DATA_LIMIT_MAX,
  DATA_PARAMETERS,
  Dataset,
  KEY_FIGURE_KINDS,
  OPERATION_CODE_PATTERN,
  PILLAR_NUMBERS,
  POPULATION_DIMENSIONS,
  POPULATION_TYPE_CODES,
  YEAR_MAX,
  YEAR_MIN,
} from '@focus/contracts';
import { PROBLEM_CONTENT_TYPE } from '@focus/service-kit';

/* The OpenAPI description of the data API's routes: every parameter, answer and error, with examples. */

const PROBLEM = { $ref: '#/components/schemas/Problem' };
const ETAG = {
  ETag: {
    description: 'The data version and the query: send it back in If-None-Match.',
    schema: { type: 'string' },
    example: '"5321-population-3kT0y1XnQm2W9a8b"',
  },
};

const year = { type: 'integer', minimum: YEAR_MIN, maximum: YEAR_MAX };
const QUERY = {
  operation: ApiQuery({
    name: 'operation',
    required: false,
    description: 'Operation codes, comma separated. An unknown code is a 400.',
    schema: { type: 'string', pattern: `^${OPERATION_CODE_PATTERN.source.slice(1, -1)}(,${OPERATION_CODE_PATTERN.source.slice(1, -1)})*$` },
    example: 'DEU,TUR',
  }),
  origin: ApiQuery({
    name: 'origin',
    required: false,
    description:
      "Countries of origin, comma separated: ISO 3166 alpha-3 as UNHCR's coo_iso, UNK unknown, XXA stateless (GET /reference/countries).",
    schema: { type: 'string' },
    example: 'SYR',
  }),
  year: ApiQuery({ name: 'year', required: false, description: 'One year; not with yearFrom or yearTo.', schema: year, example: 2018 }),
  yearFrom: ApiQuery({
    name: 'yearFrom',
    required: false,
    description: 'From this year on; alone, an open range. After yearTo: 400.',
    schema: year,
    example: 2015,
  }),
  yearTo: ApiQuery({ name: 'yearTo', required: false, description: 'Up to this year; alone, an open range.', schema: year, example: 2020 }),
  type: ApiQuery({
    name: 'type',
    required: false,
    description: 'Population types, comma separated (GET /reference/population-types).',
    schema: { type: 'string' },
    example: 'REF,ASY',
  }),
  pillar: ApiQuery({
    name: 'pillar',
    required: false,
    description: 'Pillars, comma separated (GET /reference/pillars).',
    schema: { type: 'string' },
    example: '1,2',
  }),
  kind: ApiQuery({
    name: 'kind',
    required: false,
    description: `Kinds, comma separated: ${KEY_FIGURE_KINDS.join(', ')}.`,
    schema: { type: 'string' },
    example: 'result',
  }),
  limit: ApiQuery({
    name: 'limit',
    required: false,
    description: `Rows per page, 1 to ${DATA_LIMIT_MAX}; JSON defaults to ${DATA_LIMIT_DEFAULT}, CSV without a limit is the whole table, streamed.`,
    schema: { type: 'integer', minimum: 1, maximum: DATA_LIMIT_MAX },
    example: 100,
  }),
  cursor: ApiQuery({
    name: 'cursor',
    required: false,
    description: "The previous page's nextCursor (opaque); with other filters or groupBy: 400.",
    schema: { type: 'string' },
  }),
  format: ApiQuery({
    name: 'format',
    required: false,
    description: 'csv, or json (the default unless Accept asks for text/csv).',
    schema: { type: 'string', enum: ['json', 'csv'] },
    example: 'csv',
  }),
  hxl: ApiQuery({
    name: 'hxl',
    required: false,
    description: 'CSV only: true adds a second row of HXL hashtags and attributes (see the answer description).',
    schema: { type: 'string', enum: ['true', 'false'] },
    example: 'true',
  }),
};

const groupBy = (dimensions: readonly string[]) =>
  ApiQuery({
    name: 'groupBy',
    required: false,
    description: `Comma list of ${dimensions.join(', ')}: rows sum over the dimensions left out (default: all, one row per figure).`,
    schema: { type: 'string' },
    example: dimensions.filter((d) => d !== 'operation').join(','),
  });

const GROUP_BY: Partial<Record<Dataset, ReturnType<typeof ApiQuery>>> = {
  population: groupBy(POPULATION_DIMENSIONS),
  budget: groupBy(BUDGET_DIMENSIONS),
};

/** The parameters a dataset takes are libs/contracts' DATA_PARAMETERS (what the read side accepts); here, how each is described. */
function parametersOf(dataset: Dataset): ReturnType<typeof ApiQuery>[] {
  return DATA_PARAMETERS[dataset].map((name) => {
    const described = name === 'groupBy' ? GROUP_BY[dataset] : QUERY[name as keyof typeof QUERY];
    if (!described) throw new Error(`data-docs.ts does not describe ${name}, a parameter of /${dataset}`);
    return described;
  });
}

const SOURCE = { type: 'object', properties: { name: { type: 'string' }, asOf: { type: 'string', format: 'date' } } };
const ROWS: Record<Dataset, object> = {
  population: {
    type: 'object',
    properties: {
      operation: { type: 'string' },
      origin: { type: ['string', 'null'], description: 'null: figures reported without an origin' },
      year: { type: 'integer' },
      type: { type: 'string', enum: [...POPULATION_TYPE_CODES] },
      value: { type: 'integer' },
      sources: { type: 'array', items: SOURCE },
    },
  },
  budget: {
    type: 'object',
    properties: {
      operation: { type: 'string' },
      year: { type: 'integer' },
      pillar: { type: 'integer', enum: [...PILLAR_NUMBERS] },
      budgetUsd: { type: 'number', description: 'Exact: a sum of integer cents, at most 2 decimals.' },
      expenditureUsd: { type: ['number', 'null'], description: 'null while any line summed has no expenditure yet.' },
    },
  },
  'key-figures': {
    type: 'object',
    properties: {
      operation: { type: 'string' },
      year: { type: 'integer' },
      kind: { type: 'string', enum: [...KEY_FIGURE_KINDS] },
      position: { type: 'integer' },
      value: { type: 'number' },
      unit: { type: 'string' },
      textEn: { type: 'string' },
      textFr: { type: ['string', 'null'] },
    },
  },
};

const SYRIA = { name: 'UNHCR Refugee Population Statistics Database', asOf: '2018-12-31' };
const EXAMPLE_ROWS: Record<Dataset, object[]> = {
  population: [
    { operation: 'DEU', origin: 'SYR', year: 2018, type: 'REF', value: 532065, sources: [SYRIA] },
    { operation: 'DEU', origin: 'SYR', year: 2018, type: 'ASY', value: 45280, sources: [SYRIA] },
  ],
  budget: [{ operation: 'KAZ-RO', year: 2018, pillar: 1, budgetUsd: 7406385.97, expenditureUsd: 3640137.28 }],
  'key-figures': [
    {
      operation: 'KAZ-RO',
      year: 2018,
      kind: 'result',
      position: 1,
      value: 742,
      unit: 'persons',
      textEn: 'persons with undetermined nationality were assisted',
      textFr: null,
    },
  ],
};
const EXAMPLE_CSV: Record<Dataset, string> = {
  population:
    'operation,origin,year,type,value,source\r\n#country+code+asylum,#country+code+origin,#date+year,#population+type+code,#affected+num,#meta+source\r\nDEU,SYR,2018,REF,532065,UNHCR Refugee Population Statistics Database (2018-12-31)\r\n',
  budget: 'operation,year,pillar,budget_usd,expenditure_usd\r\nKAZ-RO,2018,1,7406385.97,3640137.28\r\n',
  'key-figures':
    'operation,year,kind,position,value,unit,text_en,text_fr\r\nKAZ-RO,2018,result,1,742,persons,persons with undetermined nationality were assisted,\r\n',
};

const problem = (status: number, description: string, example: object) =>
  ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM, example } } });

const COMMON = [
  ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag you hold: 304 while the data and the query are unchanged.' }),
  ApiResponse({ status: 304, description: 'Not modified.', headers: ETAG }),
  problem(429, 'Too many requests from this API key (or address): wait Retry-After seconds.', {
    type: 'urn:focus:problem:rate-limited',
    title: 'Too many requests',
    status: 429,
  }),
  problem(503, 'The aggregator is unavailable; retry after Retry-After.', {
    type: 'urn:focus:problem:service-unavailable',
    title: 'Service unavailable',
    status: 503,
  }),
];

const SUMMARIES: Record<Dataset, { operationId: string; summary: string }> = {
  population: {
    operationId: 'listPopulation',
    summary: 'People by operation, origin, year and type, across operations and years (JSON or CSV).',
  },
  budget: {
    operationId: 'listBudget',
    summary: 'Budget and expenditure by operation, year and pillar, across operations and years (JSON or CSV).',
  },
  'key-figures': {
    operationId: 'listKeyFigures',
    summary: 'Key figures by operation, year and kind, across operations and years (JSON or CSV).',
  },
};

export function ApiDataList(dataset: Dataset) {
  const hxl = DATA_COLUMNS[dataset].map((c) => `\`${c.header}\` ${c.hxl}`).join(', ');
  return applyDecorators(
    ApiOperation(SUMMARIES[dataset]),
    ...parametersOf(dataset),
    ApiResponse({
      status: 200,
      description:
        `Rows in key order (the groupBy dimensions), ${DATA_LIMIT_DEFAULT} per page by default. As CSV (format=csv or Accept: text/csv): the same rows, ` +
        `a header row, and with hxl=true a row of HXL hashtags: ${hxl}. A CSV page with a limit gives its next cursor in the Link and Next-Cursor headers.`,
      headers: ETAG,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { rows: { type: 'array', items: ROWS[dataset] }, nextCursor: { type: 'string', nullable: true } },
          },
          example: { rows: EXAMPLE_ROWS[dataset], nextCursor: 'eyJkIjoicG9wdWxhdGlvbiIsImciOiJvcGVyYXRpb24iLCJrIjpbIkRFVSJdfQ' },
        },
        'text/csv': { schema: { type: 'string' }, example: EXAMPLE_CSV[dataset] },
      },
    }),
    problem(
      400,
      'An unknown parameter, a parameter given twice, an inverted year range, an unknown code, a bad cursor: the parameter is named.',
      {
        type: 'urn:focus:problem:malformed-request',
        title: 'Malformed request',
        status: 400,
        detail: 'yearFrom (2020) is after yearTo (2015).',
        errors: [{ field: 'yearFrom', message: '(2020) is after yearTo (2015)' }],
      },
    ),
    ...COMMON,
  );
}

export function ApiAvailability() {
  return applyDecorators(
    ApiOperation({ operationId: 'listAvailability', summary: 'The years and population types each operation holds data for.' }),
    QUERY.operation,
    ApiResponse({
      status: 200,
      description: 'For each operation (or those listed), the years and population types it holds data for.',
      headers: ETAG,
      content: {
        'application/json': {
          example: [
            {
              operation: 'KAZ-RO',
              population: { years: [2016, 2017, 2018], types: ['ASY', 'REF', 'RET', 'STA'], origins: 0 },
              budget: { years: [2014, 2015, 2016, 2017, 2018, 2019] },
              keyFigures: { years: [2018, 2019] },
            },
          ],
        },
      },
    }),
    problem(400, 'An unknown parameter or operation.', {
      type: 'urn:focus:problem:malformed-request',
      title: 'Malformed request',
      status: 400,
      errors: [{ field: 'operation', message: 'unknown: XYZ' }],
    }),
    ...COMMON,
  );
}

const REFERENCE_EXAMPLES: Record<string, object[]> = {
  'population-types': [{ code: 'REF', name: { en: 'Refugees', fr: 'Réfugiés' } }],
  pillars: [{ pillar: 1, name: { en: 'Refugee programme', fr: 'Programme pour les réfugiés' } }],
  countries: [{ code: 'KAZ', name: { en: 'Kazakhstan', fr: 'Kazakhstan' }, region: 'Asia', subregion: 'Central Asia' }],
};

export function ApiReference(list: 'population-types' | 'pillars' | 'countries') {
  const id = list === 'population-types' ? 'PopulationTypes' : list === 'pillars' ? 'Pillars' : 'Countries';
  return applyDecorators(
    ApiOperation({ operationId: `list${id}`, summary: `The ${list} codes the data API uses, with their names in English and French.` }),
    ApiResponse({
      status: 200,
      description: `Every code of ${list}, with English and French names${list === 'countries' ? ' and UN region' : ''}.`,
      headers: ETAG,
      content: { 'application/json': { example: REFERENCE_EXAMPLES[list] } },
    }),
    ...COMMON,
  );
}

/** What GET /contributions adds for CSV (its JSON parameters are documented with the route). */
export function ApiContributionCsv() {
  const hxl = CONTRIBUTION_COLUMNS.map((c) => `\`${c.header}\` ${c.hxl}`).join(', ');
  return applyDecorators(
    QUERY.format,
    QUERY.hxl,
    ApiResponse({
      status: 200,
      description: `As CSV (format=csv or Accept: text/csv): the same rows as the JSON list, every page streamed unless a limit is given; with hxl=true a row of HXL hashtags: ${hxl}.`,
      content: {
        'text/csv': {
          schema: { type: 'string' },
          example:
            'id,date,donor,donor_type,amount_usd,operation,status\r\n0190a6e4-7b2c-7def-8123-456789abcdef,2019-07-18,European Union,eu,,KAZ-RO,paid\r\n',
        },
      },
    }),
  );
}
