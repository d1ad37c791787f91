import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiParam, ApiQuery, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import {
  EVENT_DEFINITIONS,
  KEY_FIGURE_KINDS,
  LANGS,
  NARRATIVE_SECTION_KEYS,
  OPERATION_CODE_PATTERN,
  PILLAR_NUMBERS,
  POPULATION_TYPE_CODES,
  TOPICS,
  YEAR_MAX,
  YEAR_MIN,
} from '@focus/contracts';
import { PROBLEM_CONTENT_TYPE } from '@focus/service-kit';
import { EXAMPLES } from './examples';

/*
 * The OpenAPI description of each route, next to the route. Schemas are referenced by name
 * from components (see openapi-document.ts, which fills them from the contract classes).
 */

export const API_KEY_SECURITY = 'apiKey';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const PARAMS = {
  code: {
    name: 'code',
    description: 'Operation code (a country operation: its ISO 3166 alpha-3 code).',
    schema: { type: 'string', pattern: OPERATION_CODE_PATTERN.source },
    example: 'KAZ',
  },
  year: { name: 'year', schema: { type: 'integer', minimum: YEAR_MIN, maximum: YEAR_MAX }, example: 2018 },
  populationType: {
    name: 'type',
    description: 'A UNHCR population type, or `total` for the total reported for the year.',
    schema: { type: 'string', enum: [...POPULATION_TYPE_CODES, 'total'] },
    example: 'REF',
  },
  pillar: {
    name: 'pillar',
    description: '1 refugee programme, 2 stateless programme, 3 reintegration projects, 4 IDP projects.',
    schema: { type: 'integer', enum: [...PILLAR_NUMBERS] },
    example: 1,
  },
  kind: {
    name: 'kind',
    description: '`result`: year-end results; `plan`: planning figures.',
    schema: { type: 'string', enum: [...KEY_FIGURE_KINDS] },
    example: 'result',
  },
  lang: { name: 'lang', schema: { type: 'string', enum: [...LANGS] }, example: 'en' },
  section: { name: 'section', schema: { type: 'string', enum: [...NARRATIVE_SECTION_KEYS] }, example: NARRATIVE_SECTION_KEYS[0] },
  contributionId: {
    name: 'id',
    description: 'The id the contribution was recorded under (the Location of its POST).',
    schema: { type: 'string', format: 'uuid' },
    example: '0190a6e4-7b2c-7def-8123-456789abcdef',
  },
} as const;
export type ParamName = keyof typeof PARAMS;

/**
 * What the contributions stream sends: every event type of contributions.events, read from
 * libs/contracts, so that a type declared there is documented here without another edit.
 */
export const CONTRIBUTION_STREAM_EVENTS = EVENT_DEFINITIONS.filter((definition) => definition.topic === TOPICS.contributions);
export const CONTRIBUTION_STREAM_EVENT_TYPES = [...new Set(CONTRIBUTION_STREAM_EVENTS.map((definition) => definition.type))];

/** What operation= and subject.operationCode mean on the stream; "moved" is the one event not filed under its data's operation. */
export const STREAM_OPERATION_MEANING =
  "An event's operation is its subject.operationCode (its Kafka key): the contribution's operation (UNEARMARKED for an unearmarked one), " +
  'except for contributions.contribution.moved, which is filed under the operation the contribution left.';

export const problem = (status: number, description: string) =>
  ApiResponse({
    status,
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem'), example: EXAMPLES.problem(status) } },
    ...(status === 429 || status === 503
      ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } } }
      : {}),
  });

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { description: 'Requests allowed per window for this key (or address).', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
};
export const RATE_LIMITED = ApiResponse({
  status: 429,
  description: 'Too many requests from this API key (or address): wait Retry-After seconds.',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem'), example: EXAMPLES.problem(429) } },
  headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } }, ...RATE_LIMIT_HEADERS },
});
export const UNAVAILABLE = problem(503, 'A service behind the gateway is unavailable; retry after Retry-After.');
export const TIMEOUT = problem(504, 'A service behind the gateway did not answer in time.');
export const ETAG_HEADER = {
  ETag: { description: 'The version: send it back in If-Match (writes) or If-None-Match (reads).', schema: { type: 'string' } },
};

/** What every write may answer besides its own successes; `bodyType` is the media type it takes. */
function writeCommon(bodyType: 'application/json' | 'text/csv' = 'application/json') {
  return applyDecorators(
    ApiSecurity(API_KEY_SECURITY),
    ApiHeader({
      name: 'x-request-id',
      required: false,
      description:
        'Your request id (letters, digits, `._:-`, up to 128); one is made when absent. Returned, logged, and carried into the events the write publishes (correlationId).',
    }),
    problem(400, 'A malformed body or path parameter.'),
    problem(401, 'No API key, or an unknown one, in x-api-key.'),
    problem(403, 'The API key is not an editor key.'),
    problem(413, 'The body is too large.'),
    problem(409, 'Another write changed the same entity at the same moment; retry.'),
    problem(415, `The body is not ${bodyType}.`),
    problem(422, 'The body has invalid fields; `errors` names each one.'),
    RATE_LIMITED,
    UNAVAILABLE,
    TIMEOUT,
  );
}

export function params(names: ParamName[]) {
  return applyDecorators(...names.map((name) => ApiParam({ ...PARAMS[name], required: true } as never)));
}

const IF_MATCH = ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'The ETag of the version you edited: the write is refused with 412 if it changed since; `*`: it must exist.',
});

/** PUT by natural key: 201 created, 200 updated or unchanged; 412 on a stale If-Match. */
export function ApiPut(body: string, names: ParamName[], state: string) {
  const result = {
    content: { 'application/json': { schema: writeResult(state), example: EXAMPLES.writeResult(state) } },
    headers: ETAG_HEADER,
  };
  return applyDecorators(
    params(names),
    IF_MATCH,
    ApiBody({ required: true, schema: ref(body), examples: { example: { value: EXAMPLES.body(body) } } }),
    ApiResponse({ status: 201, description: 'Created.', ...result }),
    ApiResponse({ status: 200, description: 'Updated, or unchanged (a retried PUT).', ...result }),
    problem(412, 'If-Match names a version that is no longer current; currentVersion says which is.'),
    writeCommon(),
  );
}

/** `?origin=` on a population figure's routes: the figure by that country of origin, as imports write them. */
export function ApiOriginQuery() {
  return ApiQuery({
    name: 'origin',
    required: false,
    description:
      'The figure by this country of origin (ISO 3166 alpha-3 as the data API gives it, UNK unknown, XXA stateless; GET /reference/countries); ' +
      'without it, the figure without an origin. Not for a total: 400.',
    schema: { type: 'string' },
    example: 'SYR',
  });
}

export function ApiDelete(names: ParamName[]) {
  return applyDecorators(
    params(names),
    IF_MATCH,
    ApiResponse({ status: 204, description: 'Deleted.', headers: ETAG_HEADER }),
    problem(404, 'Nothing to delete.'),
    problem(412, 'If-Match names a version that is no longer current.'),
    writeCommon(),
  );
}

export function ApiRecordContribution() {
  const result = (description: string) => ({
    description,
    content: { 'application/json': { schema: writeResult('ContributionResponse'), example: EXAMPLES.writeResult('ContributionResponse') } },
    headers: {
      ...ETAG_HEADER,
      Location: { description: 'Where to read the contribution: `/api/v1/contributions/{id}`.', schema: { type: 'string' } },
    },
  });
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Any 1 to 200 visible ASCII characters; a retry with the same key and body records nothing.',
    }),
    ApiBody({ required: true, schema: ref('ContributionBodyDto'), examples: { example: { value: EXAMPLES.body('ContributionBodyDto') } } }),
    ApiResponse({ status: 201, ...result('Recorded.') }),
    ApiResponse({
      status: 200,
      ...result('A replay of an earlier request with the same Idempotency-Key (header Idempotent-Replayed: true).'),
    }),
    writeCommon(),
  );
}

export function ApiImport() {
  return applyDecorators(
    ApiQuery({
      name: 'source',
      required: false,
      description: "The release being imported; it becomes each figure's source.",
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    }),
    ApiHeader({
      name: 'Prefer',
      required: false,
      description:
        '`respond-async` (RFC 7240): answer 202 once the file is read and checked, and write it in the background; follow it at the Location. ' +
        'A file nothing can be taken from is still refused (400, 413, 422). The whole UNHCR file by origin takes longer to write than clients wait on a small machine.',
    }),
    ApiConsumes('text/csv'),
    ApiBody({
      required: true,
      schema: { type: 'string', description: 'UNHCR population statistics CSV, with a header row.', example: EXAMPLES.csv },
    }),
    ApiResponse({
      status: 201,
      description: 'Imported; what was read, created, updated and refused, and the profiles created for operations that had none.',
      content: { 'application/json': { schema: ref('ImportSummary'), example: EXAMPLES.importSummary } },
    }),
    ApiResponse({
      status: 202,
      description:
        'With Prefer: respond-async: read, checked and being written. Location: where it is followed; Preference-Applied: respond-async.',
      headers: {
        Location: { description: 'The import, e.g. /api/v1/imports/population/{id}', schema: { type: 'string' } },
        'Preference-Applied': { schema: { type: 'string', enum: ['respond-async'] } },
      },
      content: { 'application/json': { schema: ref('ImportStatus'), example: EXAMPLES.importAccepted } },
    }),
    writeCommon('text/csv'),
  );
}

/** GET /imports/population/{id}: an import answered 202, as it stands. */
export function ApiImportStatus() {
  return applyDecorators(
    ApiSecurity(API_KEY_SECURITY),
    ApiParam({ name: 'id', required: true, description: 'From the Location of the 202.', schema: { type: 'string', format: 'uuid' } }),
    ApiResponse({
      status: 200,
      description: 'Running (with its progress), succeeded (with its summary), failed (with why) or interrupted.',
      content: { 'application/json': { schema: ref('ImportStatus'), example: EXAMPLES.importSucceeded } },
    }),
    problem(400, 'The id is not a UUID.'),
    problem(401, 'No API key, or an unknown one, in x-api-key.'),
    problem(403, 'The API key is not an editor key.'),
    problem(404, 'There is no such import.'),
    RATE_LIMITED,
    UNAVAILABLE,
    TIMEOUT,
  );
}

export function ApiRead(what: 'list' | 'view') {
  const ok =
    what === 'list'
      ? { schema: { type: 'array', items: ref('OperationSummary') }, example: EXAMPLES.operations }
      : { schema: ref('OperationView'), example: EXAMPLES.view };
  return applyDecorators(
    ...(what === 'view'
      ? [
          params(['code']),
          ApiQuery({
            name: 'year',
            required: false,
            description:
              'Defaults to the latest year with people of concern, year-end results or expenditure (planning figures, a budget not spent yet and narratives ' +
              "don't make a year the default); with none of those, the latest year with any data.",
            schema: PARAMS.year.schema,
          }),
          ApiQuery({
            name: 'lang',
            required: false,
            description: 'Defaults to en; French falls back to English section by section.',
            schema: { type: 'string', enum: [...LANGS] },
          }),
          problem(400, 'A malformed operation code, year or language.'),
          problem(404, 'No such operation.'),
        ]
      : []),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag you hold: 304 if it is still current.' }),
    ApiResponse({
      status: 200,
      description: 'OK.',
      content: { 'application/json': ok },
      headers: { ...ETAG_HEADER, 'Cache-Control': { schema: { type: 'string' } } },
    }),
    ApiResponse({ status: 304, description: 'Not modified: the ETag in If-None-Match is current.', headers: ETAG_HEADER }),
    problem(401, 'Only when the gateway is configured to require keys for reads.'),
    RATE_LIMITED,
    UNAVAILABLE,
    TIMEOUT,
  );
}

export function ApiContributionList() {
  return applyDecorators(
    ApiQuery({
      name: 'operation',
      required: false,
      description: 'An operation code, or UNEARMARKED.',
      schema: { type: 'string', pattern: OPERATION_CODE_PATTERN.source },
    }),
    ApiQuery({ name: 'donor', required: false, schema: { type: 'string', minLength: 1, maxLength: 200 } }),
    ApiQuery({ name: 'since', required: false, description: 'On or after this day.', schema: { type: 'string', format: 'date' } }),
    ApiQuery({ name: 'until', required: false, description: 'On or before this day.', schema: { type: 'string', format: 'date' } }),
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: 'nextCursor of the previous page.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,400}$' },
    }),
    ApiResponse({
      status: 200,
      description: 'A page of contributions.',
      content: { 'application/json': { schema: ref('ContributionPage') } },
    }),
    problem(400, 'A malformed query parameter.'),
    problem(422, 'An invalid query parameter; `errors` names it.'),
    problem(401, 'Only when the gateway is configured to require keys for reads.'),
    RATE_LIMITED,
    UNAVAILABLE,
    TIMEOUT,
  );
}

/** A recorded contribution replaced whole: never creates (its id is the server's to make). */
export function ApiReplaceContribution() {
  const result = {
    content: { 'application/json': { schema: writeResult('ContributionResponse'), example: EXAMPLES.writeResult('ContributionResponse') } },
    headers: ETAG_HEADER,
  };
  return applyDecorators(
    params(['contributionId']),
    IF_MATCH,
    ApiBody({ required: true, schema: ref('ContributionBodyDto'), examples: { example: { value: EXAMPLES.body('ContributionBodyDto') } } }),
    ApiResponse({
      status: 200,
      description: 'Updated (status `cancelled` cancels it; another operationCode moves it), or unchanged (a retried PUT).',
      ...result,
    }),
    problem(404, 'No contribution was recorded under this id.'),
    problem(412, 'If-Match names a version that is no longer current; currentVersion says which is.'),
    writeCommon(),
  );
}

export function ApiContribution() {
  return applyDecorators(
    params(['contributionId']),
    ApiResponse({
      status: 200,
      description: 'The contribution at its current version.',
      headers: ETAG_HEADER,
      content: { 'application/json': { schema: ref('ContributionListItem') } },
    }),
    problem(400, 'A malformed id.'),
    problem(404, 'No contribution was recorded under this id.'),
    problem(401, 'Only when the gateway is configured to require keys for reads.'),
    RATE_LIMITED,
    UNAVAILABLE,
    TIMEOUT,
  );
}

export function ApiContributionStream() {
  return applyDecorators(
    ApiHeader({
      name: 'Last-Event-ID',
      required: false,
      description: 'The id of the last event received: what came after it is sent first.',
    }),
    ApiQuery({
      name: 'operation',
      required: false,
      description: `Only this operation's events (UNEARMARKED: unearmarked ones). ${STREAM_OPERATION_MEANING}`,
      schema: { type: 'string', pattern: OPERATION_CODE_PATTERN.source },
    }),
    ApiQuery({
      name: 'lastEventId',
      required: false,
      description: 'Same as Last-Event-ID, for clients that cannot set headers.',
      schema: { type: 'string' },
    }),
    ApiResponse({
      status: 200,
      description: 'An endless text/event-stream; each `data:` line is a ContributionEvent.',
      content: { 'text/event-stream': { schema: { type: 'string' }, example: EXAMPLES.sse } },
    }),
    problem(400, 'A malformed operation code.'),
    problem(401, 'Only when the gateway is configured to require keys for reads.'),
    RATE_LIMITED,
  );
}

function writeResult(state: string) {
  return {
    type: 'object',
    required: ['status', 'version', 'state'],
    properties: {
      status: { type: 'string', enum: ['created', 'updated', 'unchanged'] },
      version: { type: 'integer', minimum: 1 },
      state: state === 'PopulationFigureState' ? { oneOf: [ref('PopulationFigureState'), ref('PopulationTotalState')] } : ref(state),
    },
  };
}
