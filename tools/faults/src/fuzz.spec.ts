import fc from 'fast-check';
import {
  CONTRIBUTION_STATUSES,
  COUNT_MAX,
  DONOR_TYPES,
  KEY_FIGURE_KINDS,
  KEY_FIGURE_UNITS,
  LANGS,
  NARRATIVE_BODY_MAX_LENGTH,
  NARRATIVE_SECTION_KEYS,
  OFFICE_KINDS,
  PILLAR_NUMBERS,
  POPULATION_TYPE_CODES,
  TOPICS,
  UNEARMARKED_OPERATION_CODE,
  YEAR_MAX,
  YEAR_MIN,
} from '@focus/contracts';
import { eventually } from '@focus/testing';
import { topicCounts } from './domain-writes';
import { EDITOR, FaultStack, PROFILE, SOURCE, startFaultStack } from './fault-stack';

// Issue 10, item 7: fuzzing every write route through the gateway. Three oracles:
// - any body at all (arbitrary JSON, near-valid, not JSON): never a 5xx, a refusal is 4xx problem+json;
// - a body invalid by construction (an unknown key, a wrong type, a value out of range, a
//   required field missing: each case labelled): always 4xx problem+json;
// - a body valid by construction: always 2xx;
// and, per route, the topic holds one more event per accepted change and none for a refusal.
// The DELETE routes: never a 5xx, 404 problem+json for what is absent, 204 and one event for what is there.
const NUM_RUNS = Number(process.env['FAULTS_FUZZ_RUNS'] ?? 40);
/** Per kind of invalidity, per route. */
const INVALID_RUNS = Math.max(5, Math.round(NUM_RUNS / 4));
const VALID_RUNS = Math.max(5, Math.round(NUM_RUNS / 2));

type Json = Record<string, unknown>;
type Kind = 'string' | 'number' | 'object' | 'array';

/** A field of a body, by its path (array items by index), and how to break it. */
interface Field {
  path: (string | number)[];
  kind: Kind;
  required: boolean;
  /** null is accepted in place of the field (expenditureUsd; source, which the DTO marks IsOptional). */
  nullable?: boolean;
  /** Values of the right JSON type that the rules refuse. */
  outOfRange?: fc.Arbitrary<unknown>;
}

interface Route {
  name: string;
  method: 'PUT' | 'POST';
  path: string;
  topic: string;
  valid: Json;
  /** Bodies valid by construction; `full` ones hold every optional field (for the invalid cases to break). */
  arbitrary: (full: boolean) => fc.Arbitrary<Json>;
  fields: Field[];
}

const text = (min: number, max: number) =>
  fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    fc
      .constantFrom('Kazakhstan Regional Office', 'Bureau régional au Kazakhstan', 'Казахстан', '哈萨克斯坦', ' ')
      .filter((s) => s.length >= min && s.length <= max),
  );
const badText = (min: number, max: number) =>
  fc.oneof(
    ...(min > 0 ? [fc.constant('')] : []),
    fc.integer({ min: max + 1, max: max + 50 }).map((n) => 'x'.repeat(n)),
  );
const calendarDate = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const badDate = fc.constantFrom('2018-02-30', '2018-13-01', '18-12-31', '2018-12-31T00:00:00Z', '31/12/2018', '', '2018-1-1');
/** US dollars with at most two decimals: whole cents, divided. */
const usd = fc.integer({ min: 0, max: 1_000_000_000_000 }).map((cents) => cents / 100);
const badUsd = fc.oneof(
  fc.constantFrom(-0.01, 10_000_000_000.01, 1.005, 0.001, 1e300),
  fc.integer({ min: 1, max: 10 ** 9 }).map((n) => -n),
);
const oneOf = <T>(values: readonly T[]) => fc.constantFrom(...values);
const notOneOf = (values: readonly (string | number)[]) =>
  fc
    .oneof(fc.string({ maxLength: 20 }), fc.constantFrom('$gt', 'REF.x', 'EN', ' en', 'result ', 'unknown'))
    .filter((s) => !values.includes(s));
const operationCode = fc.stringMatching(/^[A-Z][A-Z0-9-]{1,15}$/).filter((code) => code !== UNEARMARKED_OPERATION_CODE);
const badOperationCode = fc.constantFrom(UNEARMARKED_OPERATION_CODE, 'kaz', 'K', 'KAZ.X', '$where', 'A'.repeat(17), '-AZ', '');
const optional = <T>(arbitrary: fc.Arbitrary<T>, full: boolean) => (full ? arbitrary : fc.option(arbitrary, { nil: undefined }));
/** fc.record with the undefined values dropped: absent, never `"key": null`. */
const record = (shape: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(shape).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));

const office = record({
  name: text(1, 200),
  kind: oneOf(OFFICE_KINDS),
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
});
const keyFigure = (full: boolean) =>
  record({
    value: fc.double({ min: 0, max: Number.MAX_SAFE_INTEGER, noNaN: true }),
    unit: oneOf(KEY_FIGURE_UNITS),
    text: record({ en: text(1, 500), fr: optional(text(1, 500), full) }),
  });

const ROUTES: Route[] = [
  {
    name: 'profile',
    method: 'PUT',
    path: '/operations/KAZ',
    topic: TOPICS.narratives,
    valid: PROFILE,
    arbitrary: (full) =>
      record({
        name: record({ en: text(1, 200), fr: text(1, 200) }),
        region: text(1, 100),
        subregion: text(1, 100),
        offices: fc.array(office, { minLength: full ? 1 : 0, maxLength: 4 }),
      }),
    fields: [
      { path: ['name'], kind: 'object', required: true },
      { path: ['name', 'en'], kind: 'string', required: true, outOfRange: badText(1, 200) },
      { path: ['name', 'fr'], kind: 'string', required: true, outOfRange: badText(1, 200) },
      { path: ['region'], kind: 'string', required: true, outOfRange: badText(1, 100) },
      { path: ['subregion'], kind: 'string', required: true, outOfRange: badText(1, 100) },
      { path: ['offices'], kind: 'array', required: true, outOfRange: fc.constant(Array.from({ length: 201 }, () => PROFILE.offices[0])) },
      { path: ['offices', 0], kind: 'object', required: true },
      { path: ['offices', 0, 'kind'], kind: 'string', required: true, outOfRange: notOneOf(OFFICE_KINDS) },
      {
        path: ['offices', 0, 'lat'],
        kind: 'number',
        required: true,
        outOfRange: fc.oneof(fc.double({ min: 90.000001, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: -90.000001, noNaN: true })),
      },
      {
        path: ['offices', 0, 'lon'],
        kind: 'number',
        required: true,
        outOfRange: fc.oneof(
          fc.double({ min: 180.000001, max: 1e6, noNaN: true }),
          fc.double({ min: -1e6, max: -180.000001, noNaN: true }),
        ),
      },
    ],
  },
  {
    name: 'population',
    method: 'PUT',
    path: '/operations/KAZ/population/2018/REF',
    topic: TOPICS.population,
    valid: { value: 588, source: SOURCE },
    arbitrary: (full) =>
      record({ value: fc.integer({ min: 0, max: COUNT_MAX }), source: optional(record({ name: text(1, 200), asOf: calendarDate }), full) }),
    fields: [
      {
        path: ['value'],
        kind: 'number',
        required: true,
        outOfRange: fc.oneof(
          fc.integer({ min: COUNT_MAX + 1, max: Number.MAX_SAFE_INTEGER }),
          fc.integer({ min: -1e9, max: -1 }),
          fc.constantFrom(588.5, 0.1, 2 ** 53 + 2),
        ),
      },
      { path: ['source'], kind: 'object', required: false, nullable: true },
      { path: ['source', 'name'], kind: 'string', required: true, outOfRange: badText(1, 200) },
      { path: ['source', 'asOf'], kind: 'string', required: true, outOfRange: badDate },
    ],
  },
  {
    name: 'budget',
    method: 'PUT',
    path: '/operations/KAZ/budget/2018/pillars/1',
    topic: TOPICS.budget,
    valid: { budgetUsd: 4328075, expenditureUsd: 2517448.47 },
    // expenditureUsd: null (or absent) while the year is not closed.
    arbitrary: (full) => record({ budgetUsd: usd, expenditureUsd: full ? usd : fc.oneof(usd, fc.constant(null), fc.constant(undefined)) }),
    fields: [
      { path: ['budgetUsd'], kind: 'number', required: true, outOfRange: badUsd },
      { path: ['expenditureUsd'], kind: 'number', required: false, nullable: true, outOfRange: badUsd },
    ],
  },
  {
    name: 'key-figures',
    method: 'PUT',
    path: '/operations/KAZ/key-figures/2018/result',
    topic: TOPICS.narratives,
    valid: { items: [{ value: 197, unit: 'people', text: { en: 'people of concern received legal assistance' } }] },
    arbitrary: (full) => record({ items: fc.array(keyFigure(full), { minLength: full ? 1 : 0, maxLength: 5 }) }),
    fields: [
      {
        path: ['items'],
        kind: 'array',
        required: true,
        outOfRange: fc
          .integer({ min: 51, max: 80 })
          .map((n) => Array.from({ length: n }, () => ({ value: 1, unit: 'people', text: { en: 'x' } }))),
      },
      { path: ['items', 0], kind: 'object', required: true },
      {
        path: ['items', 0, 'value'],
        kind: 'number',
        required: true,
        outOfRange: fc.oneof(fc.double({ min: -1e9, max: -0.001, noNaN: true }), fc.constant(2 ** 60)),
      },
      { path: ['items', 0, 'unit'], kind: 'string', required: true, outOfRange: notOneOf(KEY_FIGURE_UNITS) },
      { path: ['items', 0, 'text'], kind: 'object', required: true },
      { path: ['items', 0, 'text', 'en'], kind: 'string', required: true, outOfRange: badText(1, 500) },
      { path: ['items', 0, 'text', 'fr'], kind: 'string', required: false, outOfRange: badText(1, 500) },
    ],
  },
  {
    name: 'narratives',
    method: 'PUT',
    path: '/operations/KAZ/narratives/2018/en/unmet-needs',
    topic: TOPICS.narratives,
    valid: { body: 'Needs remain unmet in shelter and health.' },
    arbitrary: () => record({ body: fc.oneof(text(1, 2_000), fc.constant('x'.repeat(NARRATIVE_BODY_MAX_LENGTH))) }),
    fields: [{ path: ['body'], kind: 'string', required: true, outOfRange: badText(1, NARRATIVE_BODY_MAX_LENGTH) }],
  },
  {
    name: 'contributions',
    method: 'POST',
    path: '/contributions',
    topic: TOPICS.contributions,
    valid: { donor: { name: 'European Union', type: 'eu' }, date: '2018-07-08', operationCode: 'KAZ', status: 'pledged' },
    arbitrary: (full) =>
      record({
        donor: record({ name: text(1, 200), type: oneOf(DONOR_TYPES) }),
        date: calendarDate,
        amountUsd: optional(usd, full),
        operationCode: optional(operationCode, full),
        status: oneOf(CONTRIBUTION_STATUSES),
      }),
    fields: [
      { path: ['donor'], kind: 'object', required: true },
      { path: ['donor', 'name'], kind: 'string', required: true, outOfRange: badText(1, 200) },
      { path: ['donor', 'type'], kind: 'string', required: true, outOfRange: notOneOf(DONOR_TYPES) },
      { path: ['date'], kind: 'string', required: true, outOfRange: badDate },
      { path: ['amountUsd'], kind: 'number', required: false, outOfRange: badUsd },
      { path: ['operationCode'], kind: 'string', required: false, outOfRange: badOperationCode },
      { path: ['status'], kind: 'string', required: true, outOfRange: notOneOf(CONTRIBUTION_STATUSES) },
    ],
  },
];

/** Any JSON, a valid body with one field replaced or removed or one added, or text that may not be JSON. */
function anyBodies(valid: Json): fc.Arbitrary<string> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([key, value]) => JSON.stringify({ ...valid, [key]: value })),
    fc.constantFrom(...keys).map((key) => JSON.stringify(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key)))),
    fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue()).map(([key, value]) => JSON.stringify({ ...valid, [key]: value })),
    fc.string({ maxLength: 200 }),
  );
}

/** A JSON value of any type but `kind` (and not null, where null is accepted). */
function wrongType(field: Field): fc.Arbitrary<unknown> {
  const byKind: Record<Kind, fc.Arbitrary<unknown>> = {
    string: fc.oneof(fc.string(), fc.constantFrom('588', '1e3', '')),
    number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    object: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.jsonValue(), { minKeys: 0, maxKeys: 3 }),
    array: fc.array(fc.jsonValue(), { maxLength: 3 }),
  };
  const others = (Object.keys(byKind) as Kind[]).filter((kind) => kind !== field.kind).map((kind) => byKind[kind]);
  return fc.oneof(...others, fc.boolean(), ...(field.nullable ? [] : [fc.constant(null)]));
}

/** A copy of `body` with the value at `path` replaced (or removed, with `remove`). */
function at(body: Json, path: (string | number)[], value: unknown, remove = false): Json {
  const copy = structuredClone(body) as Json;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true }); // an own "__proto__" too
  return copy;
}

const fieldName = (path: (string | number)[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.');
/*
 * Keys that stand out among the unknown ones, those every object inherits among them
 * ("constructor", "valueOf", …: class-transformer skips them, and they were once dropped
 * without a word and the write accepted). "__proto__" is refused (400) by the JSON parser.
 */
const NOTABLE_KEYS = [
  '__proto__',
  'constructor',
  'valueOf',
  'toString',
  'hasOwnProperty',
  'prototype',
  '$where',
  '$gt',
  'a.b',
  'source.name',
  'value ',
  'Value',
];

/** Bodies invalid by construction, one kind of invalidity each, each labelled with what was broken. */
function invalidBodies(route: Route): Record<string, fc.Arbitrary<{ label: string; body: Json }>> {
  const full = route.arbitrary(true);
  const known = new Set(route.fields.filter((f) => f.path.length === 1).map((f) => String(f.path[0])));
  // Removing an array item leaves a shorter list, which is valid: the items' own fields stand for them.
  const required = route.fields.filter((f) => f.required && typeof f.path[f.path.length - 1] !== 'number');
  const ranged = route.fields.filter((f) => f.outOfRange);
  const objectFields = [{ path: [] as (string | number)[] }, ...route.fields.filter((f) => f.kind === 'object')];
  return {
    'an unknown key': fc
      .tuple(
        full,
        fc.constantFrom(...objectFields),
        fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom(...NOTABLE_KEYS)),
        fc.jsonValue(),
      )
      .filter(([, parent, key]) => parent.path.length > 0 || !known.has(key))
      .filter(
        ([, parent, key]) =>
          parent.path.length === 0 ||
          !route.fields.some((f) => f.path.length === parent.path.length + 1 && fieldName(f.path) === fieldName([...parent.path, key])),
      )
      .map(([body, parent, key, value]) => ({
        label: `unknown key ${JSON.stringify(key)} in ${fieldName(parent.path) || '(root)'}`,
        body: at(body, [...parent.path, key], value),
      })),
    'a wrong type': fc
      .constantFrom(...route.fields)
      .chain((field) => fc.tuple(full, fc.constant(field), wrongType(field)))
      .map(([body, field, value]) => ({
        label: `${fieldName(field.path)} is not ${field.kind === 'array' ? 'an' : 'a'} ${field.kind}`,
        body: at(body, field.path, value),
      })),
    'a value out of range': fc
      .constantFrom(...ranged)
      .chain((field) => fc.tuple(full, fc.constant(field), field.outOfRange as fc.Arbitrary<unknown>))
      .map(([body, field, value]) => ({ label: `${fieldName(field.path)} out of range`, body: at(body, field.path, value) })),
    'a required field missing': fc
      .tuple(full, fc.constantFrom(...required))
      .map(([body, field]) => ({ label: `${fieldName(field.path)} missing`, body: at(body, field.path, undefined, true) })),
  };
}

async function expectRefused(response: Response): Promise<void> {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json/);
  expect(((await response.json()) as { status: number }).status).toBe(response.status);
}

/** The DELETE twin of each PUT route, by its path parameters. */
interface DeleteRoute {
  name: string;
  topic: string;
  path: (segments: string[]) => string;
  /** Valid parameter values (after the operation code). */
  params: fc.Arbitrary<string[]>;
  /** How many free-form segments the path has after the operation code. */
  free: number;
}

const year = fc.integer({ min: YEAR_MIN, max: YEAR_MAX }).map(String);
const DELETE_ROUTES: DeleteRoute[] = [
  { name: 'profile', topic: TOPICS.narratives, path: ([code]) => `/operations/${code}`, params: fc.constant([]), free: 0 },
  {
    name: 'population',
    topic: TOPICS.population,
    path: ([code, y, type]) => `/operations/${code}/population/${y}/${type}`,
    params: fc.tuple(year, oneOf([...POPULATION_TYPE_CODES, 'total'])),
    free: 2,
  },
  {
    name: 'budget',
    topic: TOPICS.budget,
    path: ([code, y, pillar]) => `/operations/${code}/budget/${y}/pillars/${pillar}`,
    params: fc.tuple(year, oneOf(PILLAR_NUMBERS.map(String))),
    free: 2,
  },
  {
    name: 'key-figures',
    topic: TOPICS.narratives,
    path: ([code, y, kind]) => `/operations/${code}/key-figures/${y}/${kind}`,
    params: fc.tuple(year, oneOf(KEY_FIGURE_KINDS)),
    free: 2,
  },
  {
    name: 'narratives',
    topic: TOPICS.narratives,
    path: ([code, y, lang, section]) => `/operations/${code}/narratives/${y}/${lang}/${section}`,
    params: fc.tuple(year, oneOf(LANGS), oneOf(NARRATIVE_SECTION_KEYS)),
    free: 3,
  },
];
/** A path segment of any text, encoded; never one the URL parser would resolve away ("." or ".."). */
const segment = fc
  .string({ minLength: 1, maxLength: 30 })
  .filter((s) => s !== '.' && s !== '..')
  .map(encodeURIComponent);

describe('faults: property-based fuzzing of every write route', () => {
  let f: FaultStack;

  beforeAll(async () => {
    f = await startFaultStack('faults-fuzz', { appEnv: { 'api-gateway': { RATE_LIMIT_MAX: '100000' } } });
  }, 240_000);
  afterAll(async () => f?.close());

  const del = (path: string) => fetch(`${f.api}${path}`, { method: 'DELETE', headers: { 'x-api-key': EDITOR } });

  /** Waits for `expected` events on the topic, then lets the outboxes run a while longer to see that no other came. */
  async function expectEvents(topic: string, expected: number): Promise<void> {
    await eventually(async () => ((await topicCounts(f))[topic] >= expected ? true : undefined), 30_000, `${expected} events on ${topic}`);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await topicCounts(f))[topic]).toBe(expected);
  }

  it.each(ROUTES.map((route) => [route.name, route] as const))(
    '%s: never a 5xx; invalid bodies always 4xx problem+json, valid ones always 2xx; events only for accepted changes',
    async (_name, route) => {
      const before = (await topicCounts(f))[route.topic];
      let changes = 0;
      const accepted = async (response: Response) => {
        const answer = (await response.json()) as { status?: string };
        if (answer.status !== 'unchanged') changes++;
      };

      await fc.assert(
        fc.asyncProperty(anyBodies(route.valid), async (body) => {
          const response = await f.write(route.method, route.path, body);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 200 && response.status < 300) return accepted(response);
          await expectRefused(response);
        }),
        { numRuns: NUM_RUNS },
      );

      for (const [kind, arbitrary] of Object.entries(invalidBodies(route))) {
        await fc.assert(
          fc.asyncProperty(arbitrary, async ({ label, body }) => {
            const response = await f.write(route.method, route.path, body);
            if (response.status < 400 || response.status >= 500)
              throw new Error(`${kind} (${label}) got ${response.status}: ${await response.text()}`);
            await expectRefused(response);
          }),
          { numRuns: INVALID_RUNS },
        );
      }

      await fc.assert(
        fc.asyncProperty(route.arbitrary(false), async (body) => {
          const response = await f.write(route.method, route.path, body);
          if (response.status < 200 || response.status >= 300)
            throw new Error(`a valid body got ${response.status}: ${await response.text()}`);
          await accepted(response);
        }),
        { numRuns: VALID_RUNS },
      );

      // Every accepted change is published, and nothing else: no event came from a refused write.
      await expectEvents(route.topic, before + changes);
    },
  );

  it.each(DELETE_ROUTES.map((route) => [route.name, route] as const))(
    'DELETE %s: never a 5xx; 404 problem+json for what is absent, 204 and one event for what is there',
    async (_name, route) => {
      const before = (await topicCounts(f))[route.topic];
      let deleted = 0;

      // Any text in every parameter: refused or absent (never a 5xx); one that names something real deletes it.
      await fc.assert(
        fc.asyncProperty(fc.array(segment, { minLength: route.free + 1, maxLength: route.free + 1 }), async (segments) => {
          const response = await del(route.path(segments));
          expect(response.status).toBeLessThan(500);
          if (response.status === 204) deleted++;
          else await expectRefused(response);
        }),
        { numRuns: INVALID_RUNS },
      );

      // Valid parameters, of an operation that has nothing: always 404.
      await fc.assert(
        fc.asyncProperty(route.params, async (params) => {
          const response = await del(route.path(['ABSENT', ...params]));
          expect(response.status).toBe(404);
          await expectRefused(response);
        }),
        { numRuns: INVALID_RUNS },
      );

      // Something that is there: 204 and its event; then it is absent: 404.
      const [params] = fc.sample(route.params, { numRuns: 1, seed: 1 });
      const path = route.path(['FUZZ-DEL', ...params]);
      const put = ROUTES.find((r) => r.name === route.name)!;
      expect((await f.write('PUT', path, put.valid)).status).toBe(201);
      expect((await del(path)).status).toBe(204);
      const again = await del(path);
      expect(again.status).toBe(404);
      await expectRefused(again);
      await expectEvents(route.topic, before + deleted + 2);
    },
  );
});
