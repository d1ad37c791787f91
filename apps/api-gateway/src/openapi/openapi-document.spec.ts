import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { EVENT_DEFINITIONS, TOPICS } from '@focus/contracts';
import { createGatewayApp } from '../app.module';
import { gatewayConfig } from '../config';
import { buildOpenApiDocument } from './openapi-document';

// The document as /api/openapi.json serves it, built from an app that is never started: no
// broker or server is reached (the addresses below are never dialled), only the decorators read.
describe('the OpenAPI document', () => {
  let app: NestFastifyApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    app = await createGatewayApp(
      gatewayConfig({
        KAFKA_BROKERS: '127.0.0.1:1',
        MONGO_URL: 'mongodb://127.0.0.1:1',
        PORTAL_DIR: '/nonexistent/portal',
        LOG_LEVEL: 'silent',
      }),
    );
    document = buildOpenApiDocument(app);
  });

  afterAll(() => app?.close());

  const schema = (name: string) =>
    (document.components?.schemas ?? {})[name] as {
      properties: Record<string, { enum?: string[]; description?: string; properties?: Record<string, { description?: string }> }>;
    };

  it('resolves every schema reference, and types every body property', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.filter((name) => !(name in (document.components?.schemas ?? {})))).toEqual([]);
    // A rule without a schema shows up as design:type's `Object` (expenditureUsd once did).
    expect(schema('PutBudgetLineDto').properties).toMatchObject({
      budgetUsd: { type: 'number', minimum: 0 },
      expenditureUsd: expect.anything(),
    });
    expect(JSON.stringify(schema('PutBudgetLineDto').properties['expenditureUsd'])).toContain('"type":"number"');
  });

  it('lists every contributions.events type on the stream, each with its summary from libs/contracts', () => {
    const event = schema('ContributionEvent');
    const listed = [...(event.properties['type']?.enum ?? [])].sort();
    expect(listed).toEqual([
      'contributions.contribution.cancelled',
      'contributions.contribution.moved',
      'contributions.contribution.recorded',
      'contributions.contribution.updated',
    ]);
    expect(listed).toEqual(
      EVENT_DEFINITIONS.filter((d) => d.topic === TOPICS.contributions)
        .map((d) => d.type)
        .sort(),
    );
    expect(event.properties['type']?.description).toContain(
      'contributions.contribution.moved: A contribution is no longer earmarked for subject.operationCode',
    );
    expect(event.properties['subject']?.properties?.['operationCode']?.description).toMatch(
      /moved, which is filed under the operation the contribution left/,
    );
    const stream = document.paths['/api/v1/contributions/stream']?.get;
    expect(stream?.description).toContain('contributions.contribution.moved');
    expect(stream?.parameters?.find((p) => 'name' in p && p.name === 'operation')).toMatchObject({
      description: expect.stringContaining('the operation the contribution left'),
    });
  });

  it('says which year a view defaults to: the latest with people of concern, year-end results or expenditure', () => {
    const year = document.paths['/api/v1/operations/{code}']?.get?.parameters?.find((p) => 'name' in p && p.name === 'year');
    expect(year).toMatchObject({
      in: 'query',
      required: false,
      description: expect.stringMatching(/^Defaults to the latest year with people of concern, year-end results or expenditure/),
    });
  });

  it('documents the data API: every parameter, the CSV and its HXL hashtags, the 400 naming a parameter, with examples', () => {
    const population = document.paths['/api/v1/population']?.get;
    const names = (population?.parameters ?? []).map((p) => ('name' in p ? p.name : ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'operation',
        'origin',
        'year',
        'yearFrom',
        'yearTo',
        'type',
        'groupBy',
        'limit',
        'cursor',
        'format',
        'hxl',
        'If-None-Match',
      ]),
    );
    const ok = JSON.stringify(population?.responses['200']);
    for (const tag of ['#country+code+origin', '#date+year', '#affected+num']) expect(ok).toContain(tag);
    expect(ok).toContain('text/csv');
    expect(JSON.stringify(population?.responses['400'])).toContain('"field":"yearFrom"');
    expect(Object.keys(population?.responses ?? {})).toEqual(expect.arrayContaining(['200', '304', '400', '429', '503']));
    for (const path of [
      '/api/v1/budget',
      '/api/v1/key-figures',
      '/api/v1/reference/availability',
      '/api/v1/reference/countries',
      '/api/v1/reference/pillars',
      '/api/v1/reference/population-types',
    ]) {
      expect({ path, example: JSON.stringify(document.paths[path]?.get?.responses['200']).includes('example') }).toEqual({
        path,
        example: true,
      });
    }
  });
});
