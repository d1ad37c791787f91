import { applyDecorators } from '@nestjs/common';
import { ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ParamName, params, problem, RATE_LIMITED, TIMEOUT, UNAVAILABLE } from '../openapi/api-docs';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** What `recordedAt` and `asOf` mean, said once for every route and schema that has them. */
export const RECORDED_AT_MEANING =
  'The instant Focus recorded the change (the occurredAt of the event that carried it), not the date a figure describes: ' +
  "that is the figure's source.asOf (31 December of its year for year-end statistics).";

/** GET …/history: one page of an entity's revisions. */
export function ApiHistory(names: ParamName[]) {
  return applyDecorators(
    params(names),
    ApiQuery({
      name: 'limit',
      required: false,
      description: 'Revisions per page (default 50).',
      schema: { type: 'integer', minimum: 1, maximum: 200 },
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: 'nextCursor of the previous page.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' },
    }),
    ApiResponse({
      status: 200,
      description: 'A page of revisions, newest first; a deletion is a revision too (deleted: true, state: null).',
      content: { 'application/json': { schema: ref('RevisionPage'), example: REVISION_PAGE_EXAMPLE } },
    }),
    problem(400, 'A malformed path parameter.'),
    problem(404, 'Focus never recorded this entity.'),
    problem(422, 'An invalid limit or cursor; `errors` names it.'),
    problem(401, 'Only when the gateway is configured to require keys for reads.'),
    RATE_LIMITED,
    UNAVAILABLE,
    TIMEOUT,
  );
}

/** `asOf` on GET /operations/{code}: the view as it stood. */
export function ApiAsOf() {
  return applyDecorators(
    ApiQuery({
      name: 'asOf',
      required: false,
      description:
        'An RFC 3339 date-time with an offset (2019-07-01T00:00:00Z): the view exactly as Focus would have served it at that instant, ' +
        'every derived figure included. ' +
        `asOf is compared with when Focus recorded each change. ${RECORDED_AT_MEANING} ` +
        'An answer for an instant more than five minutes past never changes: its ETag is stable ' +
        'and its Cache-Control is `public, max-age=31536000, immutable`. The answer carries asOf (the instant, normalised to UTC). ' +
        "A malformed or future instant is 400; an instant before the operation's first recorded change is 404.",
      schema: { type: 'string', format: 'date-time' },
    }),
  );
}

/** Component schemas of the history answers, merged into the document's. */
export function historySchemas(): Record<string, unknown> {
  return {
    Revision: {
      type: 'object',
      description:
        "One version of an entity, as the event that carried it said; its identity is the event's (entityId, version), the same at its owner.",
      required: ['version', 'deleted', 'state', 'recordedAt', 'requestId', 'event'],
      properties: {
        version: { type: 'integer', minimum: 1 },
        deleted: { type: 'boolean' },
        state: {
          oneOf: [{ type: 'object', description: "The entity's full state at this version, as its PUT answers it." }, { type: 'null' }],
        },
        source: {
          type: 'object',
          description: 'Population figures and totals: the publication the value comes from.',
          properties: { name: { type: 'string' }, asOf: { type: 'string', format: 'date' } },
        },
        recordedAt: { type: 'string', format: 'date-time', description: RECORDED_AT_MEANING },
        requestId: {
          oneOf: [{ type: 'string' }, { type: 'null' }],
          description: "The x-request-id of the request that made the change (the event's correlationId).",
        },
        event: { type: 'string', description: 'The event type that carried it.' },
      },
    },
    RevisionPage: {
      type: 'object',
      required: ['entityId', 'items', 'nextCursor'],
      properties: {
        entityId: { type: 'string' },
        items: { type: 'array', items: ref('Revision') },
        nextCursor: { oneOf: [{ type: 'string' }, { type: 'null' }] },
      },
    },
  };
}

const REVISION_PAGE_EXAMPLE = {
  entityId: 'KAZ:2018:REF',
  items: [
    {
      version: 2,
      deleted: false,
      state: {
        operationCode: 'KAZ',
        year: 2018,
        type: 'REF',
        value: 568,
        source: { name: 'UNHCR population statistics 1951-2025', asOf: '2018-12-31' },
      },
      source: { name: 'UNHCR population statistics 1951-2025', asOf: '2018-12-31' },
      recordedAt: '2026-03-02T09:14:07.112Z',
      requestId: 'import-2026-03-02',
      event: 'population.figure.upserted',
    },
    {
      version: 1,
      deleted: false,
      state: { operationCode: 'KAZ', year: 2018, type: 'REF', value: 588, source: { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' } },
      source: { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' },
      recordedAt: '2019-06-20T12:00:00.000Z',
      requestId: null,
      event: 'population.figure.upserted',
    },
  ],
  nextCursor: null,
};
