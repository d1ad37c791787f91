import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { decodeEvent } from '../decode-event';
import { EVENT_DEFINITIONS, EVENTS } from '../events/event-definitions';
import { exampleWith, REMOVED } from '../testing/example-with';
import { JsonSchema } from '../validation/json-schema';
import { CONTRACT_DOCUMENT_PATHS, contractDocuments } from './contract-documents';
import { asJson, eventSchemaFileName } from './event-schemas';
import { schemaErrors } from '../testing/json-schema-subset';

const libraryRoot = resolve(__dirname, '../..');
const schemasDir = resolve(libraryRoot, CONTRACT_DOCUMENT_PATHS.schemasDir);
const fresh = asJson(contractDocuments());

function checkedInSchema(file: string): JsonSchema {
  return JSON.parse(readFileSync(resolve(schemasDir, file), 'utf8')) as JsonSchema;
}

describe('contract documents', () => {
  it('are checked in as generated', () => {
    const files = readdirSync(schemasDir).filter((file) => file.endsWith('.schema.json'));
    const stale = [
      ...Object.keys(fresh.schemas).filter(
        (file) => !files.includes(file) || !isDeepStrictEqual(checkedInSchema(file), fresh.schemas[file]),
      ),
      ...files.filter((file) => !(file in fresh.schemas)),
    ].map((file) => `${CONTRACT_DOCUMENT_PATHS.schemasDir}/${file}`);
    const asyncapi: unknown = parse(readFileSync(resolve(libraryRoot, CONTRACT_DOCUMENT_PATHS.asyncapi), 'utf8'));
    if (!isDeepStrictEqual(asyncapi, fresh.asyncapi)) stale.push(CONTRACT_DOCUMENT_PATHS.asyncapi);
    if (stale.length > 0) {
      throw new Error(
        `libs/contracts documents are out of date (${stale.join(', ')}): run \`npm run contracts:generate\` and commit the result`,
      );
    }
  });

  it('come out the same every time', () => {
    expect(asJson(contractDocuments())).toEqual(fresh);
  });
});

describe('event JSON Schemas', () => {
  it.each(EVENT_DEFINITIONS.map((definition) => [eventSchemaFileName(definition), definition] as const))(
    '%s describes a closed envelope',
    (file, definition) => {
      const schema = fresh.schemas[file];
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        additionalProperties: false,
        required: ['id', 'type', 'schemaVersion', 'occurredAt', 'source', 'subject', 'data'],
        properties: {
          type: { const: definition.type },
          schemaVersion: { const: definition.schemaVersion },
          source: { const: definition.source },
          subject: { $ref: '#/$defs/EventSubject' },
        },
      });
      const defs = schema['$defs'] as Record<string, JsonSchema>;
      for (const [name, def] of Object.entries(defs))
        expect({ name, additionalProperties: def['additionalProperties'] }).toEqual({ name, additionalProperties: false });
      const refs = JSON.stringify(schema).match(/"\$ref":"[^"]+"/g) ?? [];
      for (const ref of refs) expect(Object.keys(defs)).toContain(ref.replace(/^"\$ref":"#\/\$defs\//, '').replace(/"$/, ''));
    },
  );

  it('pin data to the payload, or to null for deletions', () => {
    for (const definition of EVENT_DEFINITIONS) {
      const data = (fresh.schemas[eventSchemaFileName(definition)]['properties'] as Record<string, JsonSchema>)['data'];
      expect(data).toMatchObject(definition.payload ? { $ref: `#/$defs/${definition.payload.name}` } : { type: 'null' });
    }
  });

  it('require what the classes require, and only that', () => {
    const defs = fresh.schemas[eventSchemaFileName(EVENTS.budgetLineUpserted)]['$defs'] as Record<string, JsonSchema>;
    expect(defs['BudgetLineState']['required']).toEqual(['operationCode', 'year', 'pillar', 'budgetCents', 'expenditureCents']);
    expect(defs['BudgetLineState']['properties']).toMatchObject({ expenditureCents: { type: ['integer', 'null'] } });
    const contribution = fresh.schemas[eventSchemaFileName(EVENTS.contributionsContributionRecorded)]['$defs'] as Record<
      string,
      JsonSchema
    >;
    expect(contribution['ContributionState']['required']).toEqual(['id', 'donor', 'date', 'status']);
  });

  it('accept their examples', () => {
    for (const definition of EVENT_DEFINITIONS) {
      const schema = fresh.schemas[eventSchemaFileName(definition)];
      expect(schema['examples']).toEqual([asJson(definition.example)]);
      expect({ type: definition.type, errors: schemaErrors(schema, asJson(definition.example)) }).toEqual({
        type: definition.type,
        errors: [],
      });
    }
  });

  // The schemas are what other teams validate with: they must refuse what decoding refuses.
  it.each([
    ['a string for a number', exampleWith('populationFigureUpserted', { 'data.value': '588' })],
    ['an unknown field in data', exampleWith('populationFigureUpserted', { 'data.note': 'x' })],
    ['a missing envelope field', exampleWith('populationFigureUpserted', { occurredAt: REMOVED })],
    ['data on a deletion', exampleWith('populationFigureDeleted', { data: { operationCode: 'KAZ' } })],
    ['negative cents', exampleWith('budgetLineUpserted', { 'data.budgetCents': -1 })],
    ['a missing expenditure', exampleWith('budgetLineUpserted', { 'data.expenditureCents': REMOVED })],
    ['a null amount', exampleWith('contributionsContributionRecorded', { 'data.amountCents': null })],
    ['UNEARMARKED as an operation code', exampleWith('contributionsContributionRecorded', { 'data.operationCode': 'UNEARMARKED' })],
    ['an id that is not v7', exampleWith('operationViewUpdated', { id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479' })],
    [
      'too many offices',
      exampleWith('narrativesProfileUpserted', { 'data.offices': Array(201).fill({ name: 'A', kind: 'other', lat: 0, lon: 0 }) }),
    ],
  ])('refuse %s, as decoding does', (_case, event) => {
    const definition = EVENT_DEFINITIONS.find((each) => each.type === event['type']) ?? EVENT_DEFINITIONS[0];
    const schema = fresh.schemas[eventSchemaFileName(definition)];
    expect(decodeEvent(JSON.stringify(event)).ok).toBe(false);
    expect(schemaErrors(schema, event)).not.toEqual([]);
  });

  it('accept a null expenditure, as decoding does', () => {
    const event = exampleWith('budgetLineUpserted', { 'data.expenditureCents': null });
    expect(decodeEvent(JSON.stringify(event)).ok).toBe(true);
    expect(schemaErrors(fresh.schemas[eventSchemaFileName(EVENTS.budgetLineUpserted)], event)).toEqual([]);
  });
});

describe('AsyncAPI document', () => {
  const doc = fresh.asyncapi;
  const at = (path: string): unknown =>
    path.split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);

  it('is AsyncAPI 3.0.0 with the local Kafka server', () => {
    expect(doc).toMatchObject({ asyncapi: '3.0.0', servers: { local: { host: '127.0.0.1:9092', protocol: 'kafka' } } });
    expect(at('info/description')).toMatch(/breaking change is a new `schemaVersion`/);
    expect(at('info/description')).toMatch(/must ignore event types/);
  });

  it('has a channel and a dead-letter channel per topic', () => {
    const addresses = Object.values(at('channels') as Record<string, { address: string }>).map((channel) => channel.address);
    for (const topic of new Set(EVENT_DEFINITIONS.map((definition) => definition.topic))) {
      expect(addresses).toContain(topic);
      expect(addresses).toContain(`${topic}.dlq`);
    }
  });

  it('documents the UNEARMARKED key on contributions.events', () => {
    expect(at('channels/contributionsEvents/address')).toBe('contributions.events');
    expect(at('channels/contributionsEvents/description')).toMatch(/UNEARMARKED/);
  });

  it('tells subscribers what a re-earmarked contribution publishes, and under which key', () => {
    expect(at('info/description')).toMatch(
      /publishes\s+`contributions\.contribution\.moved`, keyed by and with `subject\.operationCode` set to the operation it\s+left/,
    );
    expect(at('components/messages/contributionsContributionMovedV1/summary')).toMatch(/no longer earmarked for subject\.operationCode/);
  });

  it('has a message per definition whose example passes its payload schema', () => {
    const messages = Object.values(at('components/messages') as Record<string, JsonSchema>);
    for (const definition of EVENT_DEFINITIONS) {
      const message = messages.find((each) => each['name'] === definition.type) ?? {};
      const [example] = (message['examples'] ?? [{}]) as { payload?: unknown }[];
      expect(example.payload).toEqual(asJson(definition.example));
      expect(schemaErrors(message['payload'] as JsonSchema, example.payload, doc)).toEqual([]);
    }
  });

  it('only refers to what it defines', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const path = ref.slice('"$ref":"#/'.length, -1);
      expect({ ref, found: at(path) !== undefined }).toEqual({ ref, found: true });
    }
  });
});
