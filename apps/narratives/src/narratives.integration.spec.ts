import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { NARRATIVE_BODY_MAX_LENGTH, TOPICS } from '@focus/contracts';
import { listen } from '@focus/service-kit';
import { revisionsOf } from '@focus/messaging';
import { cleanUp, connectTestDb, publishedEvents, serviceEnvironment, testKafka, testNamespace } from '@focus/testing';
import { createNarrativesApp } from './app.module';
import { narrativesConfig } from './config';
import { KEY_FIGURE_SETS, PROFILES, SECTIONS } from './narratives/narrative.models';

// The narratives service over real HTTP, on the real broker and server: every write is also
// read back from Kafka (or proven to have published nothing).
describe('narratives service', () => {
  const ns = testNamespace('narratives');
  let app: NestFastifyApplication;
  let base: string;
  let kafka: Kafka;
  let db: Connection;
  const published = () => publishedEvents(kafka, ns.topic(TOPICS.narratives), db, [PROFILES, KEY_FIGURE_SETS, SECTIONS].map(revisionsOf));
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/operations/KAZ${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const fieldsOf = async (response: Response) =>
    ((await response.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field);

  // From the seed page: the Kazakhstan Regional Office in Almaty.
  const profile = {
    name: { en: 'Kazakhstan Regional Office', fr: 'Bureau régional au Kazakhstan' },
    region: 'Europe',
    subregion: 'Central Asia',
    offices: [{ name: 'Almaty', kind: 'regional-office', lat: 43.2389, lon: 76.8897 }],
  };
  const results2018 = {
    items: [
      {
        value: 100,
        unit: 'percent',
        text: {
          en: 'of refugees and asylum-seekers had access to primary health care',
          fr: "des réfugiés et des demandeurs d'asile avaient accès aux soins de santé primaires",
        },
      },
      { value: 742, unit: 'persons', text: { en: 'persons with undetermined nationality were assisted with confirmation of nationality' } },
      { value: 197, unit: 'people', text: { en: 'people of concern received legal assistance' } },
      { value: 134, unit: 'households', text: { en: 'targeted households received multi-purpose cash grants for basic needs' } },
    ],
  };

  beforeAll(async () => {
    kafka = testKafka(ns);
    db = await connectTestDb(ns);
    const config = narrativesConfig(serviceEnvironment(ns));
    app = await createNarrativesApp(config);
    base = await listen(app, config, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await cleanUp(ns, kafka, db);
  });

  it('creates a profile, serves it with its ETag, and publishes its full state', async () => {
    const response = await send('PUT', '', profile, { 'x-request-id': 'req-profile-1' });
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(await response.json()).toMatchObject({ status: 'created', version: 1, state: { code: 'KAZ', ...profile } });

    const read = await send('GET', '');
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(await read.json()).toEqual({ code: 'KAZ', ...profile, version: 1 });

    const events = await published();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'narratives.profile.upserted',
      source: 'narratives',
      correlationId: 'req-profile-1',
      subject: { operationCode: 'KAZ', entityId: 'KAZ', version: 1 },
      data: { code: 'KAZ', ...profile },
    });
  });

  it('a retried PUT changes nothing and publishes nothing', async () => {
    const response = await send('PUT', '', profile);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'unchanged', version: 1 });
    expect(await published()).toHaveLength(1);
  });

  it('If-Match with a stale version is 412 and changes nothing', async () => {
    const moved = { ...profile, offices: [...profile.offices, { name: 'Astana', kind: 'field-office', lat: 51.1694, lon: 71.4491 }] };
    expect((await send('PUT', '', moved, { 'if-match': '"1"' })).status).toBe(200);
    const stale = await send('PUT', '', { ...profile, region: 'Asia' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await stale.json()).toMatchObject({ status: 412, currentVersion: 2 });
    const events = await published();
    expect(events.map((e) => [e.type, e.subject.version])).toEqual([
      ['narratives.profile.upserted', 1],
      ['narratives.profile.upserted', 2],
    ]);
    expect(events[1].data).toMatchObject({ region: 'Europe', offices: moved.offices });
  });

  it('sets a year of key figures as a whole, French text optional', async () => {
    const response = await send('PUT', '/key-figures/2018/result', results2018);
    expect(response.status).toBe(201);
    const events = (await published()).filter((e) => e.subject.entityId === 'KAZ:2018:result');
    expect(events).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: 'narratives.key-figures.upserted',
      subject: { operationCode: 'KAZ', entityId: 'KAZ:2018:result', version: 1 },
      data: { operationCode: 'KAZ', year: 2018, kind: 'result', ...results2018 },
    });
    expect((events.at(-1)?.data as { items: Array<{ text: object }> }).items[1].text).toEqual({ en: results2018.items[1].text.en });
  });

  it('stores a section body exactly as given, markup included, and never interprets it', async () => {
    const body =
      'In 2018, the environment <b>remained</b> stable.\n<script>alert("x")</script> & "quotes" \u00e9\u00e8 \ud83d\ude00\n\n  trailing spaces  ';
    const response = await send('PUT', '/narratives/2018/en/operational-environment', { body });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { state: { body: string } }).state.body).toBe(body);

    const list = (await (await send('GET', '/narratives')).json()) as {
      sections: Array<{ body: string; section: string; version: number }>;
    };
    expect(list.sections).toEqual([{ operationCode: 'KAZ', year: 2018, lang: 'en', section: 'operational-environment', body, version: 1 }]);

    const event = (await published()).find((e) => e.subject.entityId === 'KAZ:2018:en:operational-environment');
    expect(event).toMatchObject({
      type: 'narratives.section.upserted',
      subject: { entityId: 'KAZ:2018:en:operational-environment', version: 1 },
    });
    expect((event?.data as { body: string }).body).toBe(body);
  });

  it('accepts a body of exactly the maximum length', async () => {
    expect((await send('PUT', '/narratives/2018/fr/unmet-needs', { body: 'a'.repeat(NARRATIVE_BODY_MAX_LENGTH) })).status).toBe(201);
  });

  it.each([
    ['an unknown field', '', { ...profile, population: 1 }, 'population'],
    ['an unknown nested field', '', { ...profile, offices: [{ ...profile.offices[0], city: 'Almaty' }] }, 'offices[0].city'],
    ['a string for a number', '', { ...profile, offices: [{ ...profile.offices[0], lat: '43.2' }] }, 'offices[0].lat'],
    ['a latitude off the globe', '', { ...profile, offices: [{ ...profile.offices[0], lat: 91 }] }, 'offices[0].lat'],
    ['an unknown office kind', '', { ...profile, offices: [{ ...profile.offices[0], kind: 'embassy' }] }, 'offices[0].kind'],
    ['a missing French name', '', { ...profile, name: { en: 'Kazakhstan' } }, 'name.fr'],
    ['the code in the body', '', { ...profile, code: 'KAZ' }, 'code'],
    ['an unknown unit', '/key-figures/2019/plan', { items: [{ value: 1, unit: 'tonnes', text: { en: 'x' } }] }, 'items[0].unit'],
    ['a key figure without text', '/key-figures/2019/plan', { items: [{ value: 1, unit: 'people' }] }, 'items[0].text'],
    ['items as an object', '/key-figures/2019/plan', { items: { value: 1 } }, 'items'],
    ['a body over 20,000 characters', '/narratives/2018/en/unmet-needs', { body: 'a'.repeat(NARRATIVE_BODY_MAX_LENGTH + 1) }, 'body'],
    ['an empty body', '/narratives/2018/en/unmet-needs', { body: '' }, 'body'],
    ['a body that is not text', '/narratives/2018/en/unmet-needs', { body: ['<p>x</p>'] }, 'body'],
    ['an operator for the body', '/narratives/2018/en/unmet-needs', { body: { $ne: null } }, 'body'],
  ])('refuses %s with 422 problem+json naming the field, and publishes nothing', async (_what, path, body, field) => {
    const before = (await published()).length;
    const response = await send('PUT', path, body);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await fieldsOf(response)).toContain(field);
    expect(await published()).toHaveLength(before);
  });

  it.each([
    ['/key-figures/2018/target', 'kind'],
    ['/key-figures/18/result', 'year'],
    ['/narratives/2018/de/unmet-needs', 'lang'],
    ['/narratives/2018/en/summary', 'section'],
  ])('refuses the path %s with 400 naming %s', async (path, field) => {
    const response = await send('PUT', path, path.includes('key-figures') ? results2018 : { body: 'x' });
    expect(response.status).toBe(400);
    expect(await fieldsOf(response)).toContain(field);
  });

  it('lists the profile, key figure sets and sections of the operation, and nothing of others', async () => {
    expect(
      (
        await fetch(`${base}/operations/UZB/narratives/2018/en/key-priorities`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ body: 'Other' }),
        })
      ).status,
    ).toBe(201);
    const list = (await (await send('GET', '/narratives')).json()) as Record<string, unknown> & {
      sections: Array<{ lang: string; section: string }>;
    };
    expect(list).toMatchObject({
      operationCode: 'KAZ',
      profile: { code: 'KAZ', version: 2 },
      keyFigureSets: [{ year: 2018, kind: 'result', version: 1 }],
    });
    expect(list.sections.map((s) => `${s.lang}:${s.section}`)).toEqual(['en:operational-environment', 'fr:unmet-needs']);
  });

  it('deletes with tombstone events; a deleted profile is 404 and its old ETag no longer matches', async () => {
    const section = await send('DELETE', '/narratives/2018/fr/unmet-needs', undefined, { 'if-match': '"1"' });
    expect(section.status).toBe(204);
    expect((await send('DELETE', '/key-figures/2018/result')).status).toBe(204);
    expect((await send('DELETE', '', undefined, { 'if-match': '"1"' })).status).toBe(412);
    expect((await send('DELETE', '', undefined, { 'if-match': '"2"' })).status).toBe(204);
    expect((await send('GET', '')).status).toBe(404);
    expect((await send('DELETE', '')).status).toBe(404);

    // Each entity's events arrive in version order; the relay drains each collection on its
    // own, so events of different entities (collections) may interleave either way.
    const events = await published();
    const lastOf = (entityId: string) => events.filter((e) => e.subject.entityId === entityId).at(-1);
    expect(lastOf('KAZ:2018:fr:unmet-needs')).toMatchObject({
      type: 'narratives.section.deleted',
      subject: { operationCode: 'KAZ', version: 2 },
      data: null,
    });
    expect(lastOf('KAZ:2018:result')).toMatchObject({
      type: 'narratives.key-figures.deleted',
      subject: { operationCode: 'KAZ', version: 2 },
      data: null,
    });
    expect(lastOf('KAZ')).toMatchObject({ type: 'narratives.profile.deleted', subject: { operationCode: 'KAZ', version: 3 }, data: null });

    // Re-creating continues the version line, so consumers never mistake it for an old state.
    const again = await send('PUT', '', profile);
    expect(again.status).toBe(201);
    expect(again.headers.get('etag')).toBe('"4"');
  });
});
