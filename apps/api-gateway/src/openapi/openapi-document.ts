import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  BudgetLineState,
  ContributionBodyDto,
  ContributionState,
  KeyFigureSetState,
  LANGS,
  NarrativeSectionState,
  OperationProfileState,
  PopulationFigureState,
  PopulationTotalState,
  PutBudgetLineDto,
  PutFigureDto,
  PutKeyFiguresDto,
  PutProfileDto,
  PutSectionDto,
  schemaDefinitions,
  TOPICS,
} from '@focus/contracts';
import { API_KEY_HEADER } from '../auth/access.guard';
import { LOCAL_DEV_EDITOR_KEY } from '../auth/api-keys';
import { historySchemas } from '../history/history-docs';
import { API_KEY_SECURITY, CONTRIBUTION_STREAM_EVENT_TYPES, CONTRIBUTION_STREAM_EVENTS, STREAM_OPERATION_MEANING } from './api-docs';

type Schema = Record<string, unknown>;

/** The classes the write API takes and answers with: their schemas are generated, never written twice. */
const CONTRACT_CLASSES = [
  PutFigureDto,
  PutBudgetLineDto,
  PutProfileDto,
  PutKeyFiguresDto,
  PutSectionDto,
  ContributionBodyDto,
  PopulationFigureState,
  PopulationTotalState,
  BudgetLineState,
  OperationProfileState,
  KeyFigureSetState,
  NarrativeSectionState,
  ContributionState,
];

/**
 * The gateway's OpenAPI 3.1 document: paths from the controllers' decorators, component
 * schemas from the contract classes (the same ones the services validate with), and the
 * response shapes of the read API.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Focus public API')
    .setDescription(
      'The data behind humanitarian operation pages: read the combined view of an operation, write what each service owns. ' +
        `Writes need an editor API key in \`${API_KEY_HEADER}\` (the local stack's documented key is \`${LOCAL_DEV_EDITOR_KEY}\`). ` +
        'Errors are RFC 9457 problem+json. Every response carries x-request-id. Requests are rate limited per key (or address): ' +
        'RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset tell where you stand. Events for subscribers: ' +
        `the AsyncAPI document of libs/contracts (topics ${Object.values(TOPICS).join(', ')}).`,
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER, description: 'An API key (reader or editor).' }, API_KEY_SECURITY)
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method });
  const generated = schemaDefinitions(CONTRACT_CLASSES, '#/components/schemas/') as Record<string, Schema>;
  const schemas = { ...(document.components?.schemas ?? {}), ...generated, ...responseSchemas(generated), ...historySchemas() };
  document.components = { ...document.components, schemas: schemas as never };
  return document;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const integer = { type: 'integer' };
/** The operations an import's file has figures for, with the country names it gives. */
const IMPORTED_OPERATIONS = {
  type: 'array',
  items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } },
};
const nullable = (schema: Schema) => ({ oneOf: [schema, { type: 'null' }] });
const millions = { type: 'array', items: nullable({ type: 'number' }) };

function responseSchemas(generated: Record<string, Schema>): Record<string, Schema> {
  // A budget line's expenditure is null while its year is open.
  const budgetBody = generated['PutBudgetLineDto'];
  if (budgetBody && typeof budgetBody['properties'] === 'object') {
    const properties = budgetBody['properties'] as Record<string, Schema>;
    const expenditure = properties['expenditureUsd'];
    if (expenditure) properties['expenditureUsd'] = nullable(expenditure);
  }
  const contribution = generated['ContributionState'] ?? {};
  const contributionProperties = (contribution['properties'] ?? {}) as Record<string, Schema>;
  const contributionResponse = {
    ...contribution,
    description: 'A contribution as the API answers it: its state, with the amount also in US dollars.',
    properties: { ...contributionProperties, amountUsd: { type: 'number', minimum: 0 } },
  };
  return {
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details.',
      required: ['type', 'title', 'status'],
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer', minimum: 400, maximum: 599 },
        detail: { type: 'string' },
        instance: { type: 'string' },
        errors: {
          type: 'array',
          items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
        currentVersion: integer,
      },
    },
    ContributionResponse: contributionResponse,
    ContributionListItem: {
      ...contributionResponse,
      properties: { ...contributionResponse.properties, version: integer },
      required: [...((contribution['required'] as string[]) ?? []), 'version'],
    },
    ContributionPage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: { items: { type: 'array', items: ref('ContributionListItem') }, nextCursor: nullable({ type: 'string' }) },
    },
    ContributionEvent: {
      type: 'object',
      description: 'The data of one Server-Sent Event: a contributions.events envelope (see the AsyncAPI document).',
      required: ['id', 'type', 'schemaVersion', 'occurredAt', 'source', 'subject', 'data'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        type: {
          type: 'string',
          enum: CONTRIBUTION_STREAM_EVENT_TYPES,
          description: CONTRIBUTION_STREAM_EVENTS.map((definition) => `${definition.type}: ${definition.summary}`).join(' '),
        },
        schemaVersion: { const: 1 },
        occurredAt: { type: 'string', format: 'date-time' },
        source: { const: 'contributions' },
        subject: {
          type: 'object',
          properties: {
            operationCode: { type: 'string', description: STREAM_OPERATION_MEANING },
            entityId: { type: 'string' },
            version: integer,
          },
        },
        correlationId: { type: 'string' },
        data: ref('ContributionState'),
      },
    },
    ImportSummary: {
      type: 'object',
      required: ['rowsRead', 'figures', 'rejected', 'operations'],
      properties: {
        rowsRead: integer,
        figures: { type: 'object', properties: { created: integer, updated: integer, unchanged: integer } },
        replacedWithoutOrigin: {
          ...integer,
          description:
            "Figures without an origin (a page's, an editor's) of a (operation, year, type) the file reports by origin: removed.",
        },
        removedOrigins: {
          ...integer,
          description: 'Figures by an origin the file no longer reports for a (operation, year, type) it does report: removed.',
        },
        rejected: {
          type: 'object',
          properties: {
            count: integer,
            lines: { type: 'array', items: { type: 'object', properties: { line: integer, reason: { type: 'string' } } } },
          },
        },
        notAttributed: integer,
        operations: IMPORTED_OPERATIONS,
        source: { type: 'string' },
        profiles: {
          type: 'object',
          description:
            'The operations the import created a profile for (named after the country), those that had one, and any the narratives service refused.',
          properties: {
            created: { type: 'array', items: { type: 'string' } },
            existing: integer,
            failed: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, status: integer } } },
          },
        },
      },
    },
    ImportStatus: {
      type: 'object',
      description: 'An import answered 202 (Prefer: respond-async), as it stands.',
      required: ['id', 'state', 'source', 'startedAt', 'rowsRead', 'operations', 'progress'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        state: {
          type: 'string',
          enum: ['running', 'succeeded', 'failed', 'interrupted'],
          description:
            '`interrupted`: the population service stopped before the import finished; importing the same file again finishes it (what is already written is left unchanged).',
        },
        source: { type: 'string' },
        startedAt: { type: 'string', format: 'date-time' },
        finishedAt: { type: 'string', format: 'date-time' },
        rowsRead: integer,
        operations: IMPORTED_OPERATIONS,
        progress: { type: 'object', properties: { figures: integer, figuresDone: integer } },
        summary: {
          ...ref('ImportSummary'),
          description: 'Once succeeded: what the synchronous import answers (without profiles: those were created with the 202).',
        },
        problem: {
          type: 'object',
          properties: { title: { type: 'string' }, detail: { type: 'string' } },
          description: 'Once failed: why.',
        },
        profiles: { type: 'object', description: 'In the 202 only: as in ImportSummary.' },
      },
    },
    OperationSummary: {
      type: 'object',
      required: ['code', 'years'],
      properties: {
        code: { type: 'string' },
        name: nullable(ref('OperationName')),
        years: { type: 'array', items: integer },
        version: integer,
      },
    },
    OperationView: {
      type: 'object',
      description: "An operation's combined view; its series keep the seed page's chart shapes.",
      required: ['operation', 'year', 'years', 'keyFigures', 'peopleOfConcern', 'budget', 'narratives', 'latestContributions', 'meta'],
      properties: {
        operation: {
          type: 'object',
          required: ['code'],
          properties: {
            code: { type: 'string' },
            name: nullable(ref('OperationName')),
            region: nullable({ type: 'string' }),
            subregion: nullable({ type: 'string' }),
            offices: { type: 'array', items: ref('Office') },
          },
        },
        year: integer,
        years: { type: 'array', items: integer },
        keyFigures: {
          type: 'object',
          properties: Object.fromEntries(
            ['results', 'planning'].map((k) => [
              k,
              {
                type: 'object',
                properties: {
                  year: integer,
                  items: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { value: { type: 'number' }, unit: { type: 'string' }, text: { type: 'string' } },
                    },
                  },
                },
              },
            ]),
          ),
        },
        peopleOfConcern: {
          type: 'object',
          properties: {
            year: integer,
            total: nullable(integer),
            trend: nullable({ type: 'string', enum: ['increase', 'decrease', 'stable'] }),
            totalsByYear: { type: 'array', items: { type: 'object', properties: { year: integer, total: integer } } },
            breakdown: {
              type: 'array',
              description: '[label, count] pairs in the language asked for.',
              items: { type: 'array', prefixItems: [{ type: 'string' }, integer], minItems: 2, maxItems: 2 },
            },
            sources: {
              type: 'array',
              description:
                "Where the year's figures come from: each distinct publication and the date it describes (figures get revised; a newer release is a new version).",
              items: {
                type: 'object',
                required: ['name', 'asOf'],
                properties: { name: { type: 'string' }, asOf: { type: 'string', format: 'date' } },
              },
            },
          },
        },
        budget: {
          type: 'object',
          properties: {
            unit: { const: 'USD millions' },
            categories: { type: 'array', items: integer },
            budget: millions,
            expenditure: millions,
            budgetByPillar: { type: 'object', additionalProperties: millions },
            expenditureByPillar: { type: 'object', additionalProperties: millions },
          },
        },
        narratives: {
          type: 'object',
          properties: {
            year: integer,
            lang: { type: 'string', enum: [...LANGS] },
            sections: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  key: { type: 'string' },
                  title: { type: 'string' },
                  body: { type: 'string' },
                  lang: { type: 'string', enum: [...LANGS] },
                },
              },
            },
          },
        },
        latestContributions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'date', 'donor'],
            properties: {
              id: { type: 'string', format: 'uuid', description: 'The contribution id, as in contributions.events.' },
              date: { type: 'string', format: 'date' },
              donor: { type: 'string' },
              donorType: { type: 'string' },
              status: { type: 'string' },
              amountUsd: { type: 'number' },
            },
          },
        },
        meta: {
          type: 'object',
          required: ['version'],
          properties: { version: integer, updatedAt: { type: 'string', format: 'date-time' } },
        },
      },
    },
  };
}
