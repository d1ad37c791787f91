import { UNHCR_POPULATION_COLUMNS } from '@focus/contracts';
import { PROBLEM_TYPES } from '@focus/service-kit';

/** Examples for the OpenAPI document, from the seed page (Kazakhstan Regional Office, 2018). */

const source = { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' };
const contribution = {
  id: '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3',
  donor: { name: 'European Union', type: 'eu' },
  date: '2019-07-08',
  operationCode: 'KAZ',
  status: 'pledged',
};

const BODIES: Record<string, unknown> = {
  PutFigureDto: { value: 588, source },
  PutBudgetLineDto: { budgetUsd: 7406385.97, expenditureUsd: 3993437.15 },
  PutProfileDto: {
    name: { en: 'Kazakhstan Regional Office', fr: 'Bureau régional au Kazakhstan' },
    region: 'Europe',
    subregion: 'Central Asia',
    offices: [{ name: 'Almaty', kind: 'regional-office', lat: 43.25, lon: 76.95 }],
  },
  PutKeyFiguresDto: {
    items: [
      { value: 742, unit: 'persons', text: { en: 'persons with undetermined nationality were assisted with confirmation of nationality' } },
    ],
  },
  PutSectionDto: { body: 'In 2018, the Central Asian states continued to make progress in resolving statelessness.' },
  ContributionBodyDto: { donor: { name: 'European Union', type: 'eu' }, date: '2019-07-08', operationCode: 'KAZ', status: 'pledged' },
};

const STATES: Record<string, unknown> = {
  PopulationFigureState: { operationCode: 'KAZ', year: 2018, type: 'REF', value: 588, source },
  BudgetLineState: { operationCode: 'KAZ', year: 2018, pillar: 1, budgetCents: 740638597, expenditureCents: 399343715 },
  OperationProfileState: { code: 'KAZ', ...(BODIES['PutProfileDto'] as object) },
  KeyFigureSetState: { operationCode: 'KAZ', year: 2018, kind: 'result', ...(BODIES['PutKeyFiguresDto'] as object) },
  NarrativeSectionState: {
    operationCode: 'KAZ',
    year: 2018,
    lang: 'en',
    section: 'operational-environment',
    ...(BODIES['PutSectionDto'] as object),
  },
  ContributionResponse: contribution,
};

const TITLES: Record<number, [string, string]> = {
  400: [PROBLEM_TYPES.malformed, 'Malformed request'],
  401: [PROBLEM_TYPES.unauthorized, 'Unauthorized'],
  403: [PROBLEM_TYPES.forbidden, 'Forbidden'],
  404: [PROBLEM_TYPES.notFound, 'Not found'],
  412: [PROBLEM_TYPES.conflict, 'Precondition failed'],
  413: [PROBLEM_TYPES.tooLarge, 'Payload too large'],
  415: [PROBLEM_TYPES.unsupportedMediaType, 'Unsupported media type'],
  422: [PROBLEM_TYPES.validation, 'Invalid request'],
  429: [PROBLEM_TYPES.rateLimited, 'Too many requests'],
  503: [PROBLEM_TYPES.unavailable, 'Service unavailable'],
  504: [PROBLEM_TYPES.unavailable, 'Gateway timeout'],
};

const importOperations = [
  { code: 'AFG', name: 'Afghanistan' },
  { code: 'KAZ', name: 'Kazakhstan' },
];
const importSummary = {
  rowsRead: 2,
  // Seven types for Kazakhstan from both rows, and the returned refugees of each origin.
  figures: { created: 9, updated: 0, unchanged: 0 },
  rejected: { count: 0, lines: [] },
  notAttributed: 0,
  operations: importOperations,
  source: 'UNHCR population statistics',
};
const profiles = { created: ['AFG'], existing: 1, failed: [] };
const importJob = {
  id: '3b2f6c1e-8d4a-4f0e-9a57-2c1d8e6f4b90',
  source: importSummary.source,
  startedAt: '2026-12-06T21:00:00.000Z',
  rowsRead: importSummary.rowsRead,
  operations: importOperations,
};

export const EXAMPLES = {
  body: (name: string) => BODIES[name],
  writeResult: (state: string) => ({ status: 'created', version: 1, state: STATES[state] }),
  problem: (status: number) => {
    const [type, title] = TITLES[status] ?? [PROBLEM_TYPES.http, 'Error'];
    return {
      type,
      title,
      status,
      ...(status === 422
        ? { detail: 'The request has invalid fields.', errors: [{ field: 'value', message: 'must be an integer number' }] }
        : {}),
      ...(status === 412 ? { detail: 'The figure changed since version 1.', currentVersion: 2 } : {}),
    };
  },
  operations: [
    {
      code: 'KAZ',
      name: { en: 'Kazakhstan Regional Office', fr: 'Bureau régional au Kazakhstan' },
      years: [2014, 2015, 2016, 2017, 2018, 2019],
    },
  ],
  view: {
    operation: {
      code: 'KAZ',
      name: { en: 'Kazakhstan Regional Office', fr: 'Bureau régional au Kazakhstan' },
      region: 'Europe',
      subregion: 'Central Asia',
      offices: [{ name: 'Almaty', kind: 'regional-office', lat: 43.25, lon: 76.95 }],
    },
    year: 2018,
    years: [2014, 2015, 2016, 2017, 2018, 2019],
    keyFigures: {
      results: {
        year: 2018,
        items: [
          { value: 742, unit: 'persons', text: 'persons with undetermined nationality were assisted with confirmation of nationality' },
        ],
      },
      planning: { year: 2019, items: [] },
    },
    peopleOfConcern: {
      year: 2018,
      total: 88419,
      trend: 'decrease',
      totalsByYear: [
        { year: 2016, total: 95795 },
        { year: 2018, total: 88419 },
      ],
      breakdown: [
        ['Refugees', 588],
        ['Asylum-seekers', 195],
        ['Returned refugees', 4],
        ['Stateless', 87632],
      ],
      sources: [{ name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' }],
    },
    budget: {
      unit: 'USD millions',
      categories: [2018],
      budget: [7.40638597],
      expenditure: [3.99343715],
      budgetByPillar: { p1: [7.40638597], p2: [null], p3: [null], p4: [null] },
      expenditureByPillar: { p1: [3.99343715], p2: [null], p3: [null], p4: [null] },
    },
    narratives: {
      year: 2018,
      lang: 'en',
      sections: [{ key: 'operational-environment', title: 'Operational environment', body: 'In 2018, …', lang: 'en' }],
    },
    latestContributions: [{ id: contribution.id, date: '2019-07-08', donor: 'European Union', donorType: 'eu', status: 'pledged' }],
    meta: { version: 57, updatedAt: '2019-07-11T16:45:01.250Z' },
  },
  // The columns of UNHCR's population API, in its order: the only header an import accepts.
  csv:
    `${UNHCR_POPULATION_COLUMNS.join(',')}\n` +
    '2018,Afghanistan,AFG,AFG,Kazakhstan,KAZ,KAZ,387,125,0,0,0,0,0,,0\n' +
    '2018,Kazakhstan,KAZ,KAZ,Kazakhstan,KAZ,KAZ,0,0,0,0,0,7690,0,,0\n',
  importSummary: { ...importSummary, profiles },
  importAccepted: { ...importJob, state: 'running', progress: { figures: 9, figuresDone: 0 }, profiles },
  importSucceeded: {
    ...importJob,
    state: 'succeeded',
    finishedAt: '2026-12-06T21:00:01.000Z',
    progress: { figures: 9, figuresDone: 9 },
    summary: { ...importSummary, replacedWithoutOrigin: 0, removedOrigins: 0 },
  },
  sse: `retry: 3000\n\nid: 016bd1e2-5700-759b-9d54-0783593d2f2f\ndata: {"id":"016bd1e2-5700-759b-9d54-0783593d2f2f","type":"contributions.contribution.recorded","schemaVersion":1,"occurredAt":"2019-07-08T14:00:00.000Z","source":"contributions","subject":{"operationCode":"KAZ","entityId":"${contribution.id}","version":1},"data":${JSON.stringify(contribution)}}\n\n`,
};
