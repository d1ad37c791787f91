import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { ContributionState, decodeEvent, EventEnvelope, TOPICS } from '@focus/contracts';
import { listen } from '@focus/service-kit';
import { revisionsOf } from '@focus/messaging';
import { cleanUp, connectTestDb, publishedEvents, readAllNow, serviceEnvironment, testKafka, testNamespace } from '@focus/testing';
import { createContributionsApp } from './app.module';
import { contributionsConfig } from './config';
import { CONTRIBUTIONS } from './contributions/contribution.models';

type Written = { status: string; version: number; state: ContributionState & { amountUsd?: number } };
type Listed = { items: Array<ContributionState & { version: number }>; nextCursor: string | null };

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// The contributions service over real HTTP, on the real broker and server; each write is
// read back from Kafka, and each refused one is shown to have published nothing.
describe('contributions service', () => {
  const ns = testNamespace('contributions');
  let app: NestFastifyApplication;
  let base: string;
  let kafka: Kafka;
  let db: Connection;
  const published = () => publishedEvents<ContributionState>(kafka, ns.topic(TOPICS.contributions), db, [CONTRIBUTIONS].map(revisionsOf));
  const eventsOf = async (id: string) => (await published()).filter((e) => e.subject.entityId === id);
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/contributions${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const post = (body: unknown, headers: Record<string, string> = {}) => send('POST', '', body, headers);
  const fieldsOf = async (response: Response) =>
    ((await response.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field);

  // "Latest contributions" on the seed page: date and donor, amounts undisclosed.
  const eu = { donor: { name: 'European Union', type: 'eu' }, date: '2019-07-08', operationCode: 'KAZ', status: 'pledged' };

  beforeAll(async () => {
    kafka = testKafka(ns);
    db = await connectTestDb(ns);
    const config = contributionsConfig(serviceEnvironment(ns));
    app = await createContributionsApp(config);
    base = await listen(app, config, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await cleanUp(ns, kafka, db);
  });

  let euId: string;

  it('records a contribution under a new UUID v7 and publishes its full state', async () => {
    const response = await post({ ...eu, amountUsd: 1250000.05 }, { 'x-request-id': 'req-record-1' });
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    const written = (await response.json()) as Written;
    euId = written.state.id;
    expect(euId).toMatch(UUID_V7);
    expect(response.headers.get('location')).toBe(`/contributions/${euId}`);
    expect(written).toMatchObject({ status: 'created', version: 1, state: { ...eu, amountCents: 125000005, amountUsd: 1250000.05 } });

    expect(await eventsOf(euId)).toEqual([
      expect.objectContaining({
        type: 'contributions.contribution.recorded',
        source: 'contributions',
        correlationId: 'req-record-1',
        subject: { operationCode: 'KAZ', entityId: euId, version: 1 },
        data: { id: euId, ...eu, amountCents: 125000005 },
      }),
    ]);
    const read = await send('GET', `/${euId}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(await read.json()).toEqual({ id: euId, ...eu, amountCents: 125000005, amountUsd: 1250000.05, version: 1 });
  });

  it('keys an unearmarked contribution by UNEARMARKED and leaves operationCode and amount out', async () => {
    const kuwait = { donor: { name: 'Kuwait', type: 'government' }, date: '2019-07-08', status: 'paid' };
    const written = (await (await post(kuwait)).json()) as Written;
    const [event] = await eventsOf(written.state.id);
    expect(event).toMatchObject({
      type: 'contributions.contribution.recorded',
      subject: { operationCode: 'UNEARMARKED', entityId: written.state.id, version: 1 },
    });
    expect(event.data).toEqual({ id: written.state.id, ...kuwait });
  });

  it('updates with a full replacement; an unchanged PUT publishes nothing; a stale If-Match is 412', async () => {
    const paid = { ...eu, amountUsd: 1250000.05, status: 'paid' };
    const updated = await send('PUT', `/${euId}`, paid, { 'if-match': '"1"' });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
    expect(await updated.json()).toMatchObject({ status: 'updated', version: 2, state: { id: euId, status: 'paid' } });

    const again = await send('PUT', `/${euId}`, paid);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'unchanged', version: 2 });

    const stale = await send('PUT', `/${euId}`, { ...paid, amountUsd: 1 }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await stale.json()).toMatchObject({ status: 412, currentVersion: 2 });

    const events = await eventsOf(euId);
    expect(events.map((e) => [e.type, e.subject.version, e.data?.status])).toEqual([
      ['contributions.contribution.recorded', 1, 'pledged'],
      ['contributions.contribution.updated', 2, 'paid'],
    ]);
  });

  it('cancels with a "cancelled" event that keeps the full state', async () => {
    const response = await send('PUT', `/${euId}`, { ...eu, amountUsd: 1250000.05, status: 'cancelled' });
    expect(response.status).toBe(200);
    const events = await eventsOf(euId);
    expect(events.at(-1)).toMatchObject({
      type: 'contributions.contribution.cancelled',
      subject: { operationCode: 'KAZ', entityId: euId, version: 3 },
      data: { id: euId, ...eu, amountCents: 125000005, status: 'cancelled' },
    });
  });

  it('a re-earmark publishes the new state under the new key and "moved" under the key it left', async () => {
    const messagesOf = async (id: string) => {
      await published(); // every outbox drained, so the topic holds all there will be
      const messages = await readAllNow(kafka, ns.topic(TOPICS.contributions));
      return messages
        .map((m) => ({ key: m.key, event: JSON.parse(m.value!) as EventEnvelope<ContributionState> }))
        .filter((m) => m.event.subject.entityId === id);
    };
    const put = async (body: object, version: number) => {
      const response = await send('PUT', `/${id}`, body, { 'if-match': `"${version - 1}"`, 'x-request-id': `req-move-${version}` });
      expect(response.status).toBe(200);
    };
    const norway = { ...eu, donor: { name: 'Norway', type: 'government' } };
    const { operationCode: _kaz, ...unearmarked } = norway;
    const id = ((await (await post(norway)).json()) as Written).state.id;

    await put({ ...norway, operationCode: 'KGZ' }, 2); // KAZ → KGZ
    await put(unearmarked, 3); // KGZ → none
    await put({ ...unearmarked, operationCode: 'KAZ', status: 'cancelled' }, 4); // none → KAZ, cancelled on the way
    await put({ ...norway, status: 'paid' }, 5); // the earmark stays: nothing moves

    const messages = await messagesOf(id);
    // Every event is keyed by its subject, and valid as a consumer will decode it.
    for (const { key, event } of messages) {
      expect(key).toBe(event.subject.operationCode);
      expect(decodeEvent(JSON.stringify(event)).ok).toBe(true);
    }
    const summary = messages.map(({ key, event }) => [event.subject.version, event.type, key, event.data?.operationCode ?? null]);
    expect(summary.sort((a, b) => Number(a[0]) - Number(b[0]) || String(a[1]).localeCompare(String(b[1])))).toEqual([
      [1, 'contributions.contribution.recorded', 'KAZ', 'KAZ'],
      [2, 'contributions.contribution.moved', 'KAZ', 'KGZ'],
      [2, 'contributions.contribution.updated', 'KGZ', 'KGZ'],
      [3, 'contributions.contribution.moved', 'KGZ', null],
      [3, 'contributions.contribution.updated', 'UNEARMARKED', null],
      [4, 'contributions.contribution.cancelled', 'KAZ', 'KAZ'],
      [4, 'contributions.contribution.moved', 'UNEARMARKED', 'KAZ'],
      [5, 'contributions.contribution.updated', 'KAZ', 'KAZ'],
    ]);
    // A "moved" event is its change's twin: same version, state, time and request; its own id.
    for (const moved of messages.filter((m) => m.event.type === 'contributions.contribution.moved').map((m) => m.event)) {
      const [twin] = messages.map((m) => m.event).filter((e) => e.type !== moved.type && e.subject.version === moved.subject.version);
      expect(moved).toEqual({
        ...twin,
        id: moved.id,
        type: moved.type,
        subject: { ...twin.subject, operationCode: moved.subject.operationCode },
      });
      expect(moved.id).not.toBe(twin.id);
      expect(moved.correlationId).toBe(`req-move-${moved.subject.version}`);
    }
  });

  it('answers 404 for an id never recorded and 400 for one that is not a UUID', async () => {
    expect((await send('PUT', '/016bd1e1-6ca0-7d53-af66-1707ddc1b3b3', eu)).status).toBe(404);
    expect((await send('GET', '/016bd1e1-6ca0-7d53-af66-1707ddc1b3b3')).status).toBe(404);
    const bad = await send('GET', '/016BD1E1-6CA0-7D53-AF66-1707DDC1B3B3');
    expect(bad.status).toBe(400);
    expect(await fieldsOf(bad)).toEqual(['id']);
  });

  describe('Idempotency-Key', () => {
    const japan = {
      donor: { name: 'Japan', type: 'government' },
      date: '2019-06-20',
      operationCode: 'KAZ',
      status: 'pledged',
      amountUsd: 500000,
    };

    it('a retry returns the first result (same id, 200 Idempotent-Replayed) and records once', async () => {
      const first = await post(japan, { 'idempotency-key': 'japan-2019-06-20' });
      expect(first.status).toBe(201);
      const { state } = (await first.json()) as Written;

      // The same content, its keys in another order and the amount spelled differently.
      const retry = await post(
        { status: 'pledged', operationCode: 'KAZ', amountUsd: 500000.0, date: '2019-06-20', donor: { type: 'government', name: 'Japan' } },
        { 'idempotency-key': 'japan-2019-06-20' },
      );
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.headers.get('location')).toBe(`/contributions/${state.id}`);
      expect(await retry.json()).toMatchObject({ status: 'unchanged', version: 1, state: { id: state.id } });

      const events = (await published()).filter((e) => (e.data as ContributionState | null)?.donor.name === 'Japan');
      expect(events).toHaveLength(1);
      expect(events[0].subject.entityId).toBe(state.id);
    });

    it('the same key with a different body is 422 and records nothing', async () => {
      const before = (await published()).length;
      const response = await post({ ...japan, amountUsd: 600000 }, { 'idempotency-key': 'japan-2019-06-20' });
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await fieldsOf(response)).toEqual(['Idempotency-Key']);
      expect(await published()).toHaveLength(before);
    });

    it('concurrent requests with one key record one contribution', async () => {
      const usa = {
        donor: { name: 'United States of America', type: 'government' },
        date: '2019-05-02',
        operationCode: 'KAZ',
        status: 'paid',
      };
      const responses = await Promise.all(Array.from({ length: 6 }, () => post(usa, { 'idempotency-key': 'usa-race' })));
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as Written[];
      expect(new Set(bodies.map((b) => b.state.id)).size).toBe(1);
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      const events = (await published()).filter((e) => (e.data as ContributionState | null)?.donor.name === usa.donor.name);
      expect(events).toHaveLength(1);
    });

    it.each([[''], ['a'.repeat(201)], ['tab\tinside']])('refuses the key %j with 400', async (key) => {
      const before = (await published()).length;
      const response = await post(japan, { 'idempotency-key': key });
      expect(response.status).toBe(400);
      expect(await fieldsOf(response)).toEqual(['Idempotency-Key']);
      expect(await published()).toHaveLength(before);
    });
  });

  it.each([
    ['an unknown field', { ...eu, currency: 'USD' }, 'currency'],
    ['the id in the body', { ...eu, id: '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3' }, 'id'],
    ['cents instead of dollars', { ...eu, amountCents: 100 }, 'amountCents'],
    ['three decimals', { ...eu, amountUsd: 1.005 }, 'amountUsd'],
    ['a numeric string', { ...eu, amountUsd: '100' }, 'amountUsd'],
    ['a null amount', { ...eu, amountUsd: null }, 'amountUsd'],
    ['a negative amount', { ...eu, amountUsd: -1 }, 'amountUsd'],
    ['an impossible date', { ...eu, date: '2019-02-30' }, 'date'],
    ['a date-time', { ...eu, date: '2019-07-08T00:00:00Z' }, 'date'],
    ['UNEARMARKED as operation code', { ...eu, operationCode: 'UNEARMARKED' }, 'operationCode'],
    ['a lower-case operation code', { ...eu, operationCode: 'kaz' }, 'operationCode'],
    ['an operator for the operation code', { ...eu, operationCode: { $ne: null } }, 'operationCode'],
    ['an unknown donor type', { ...eu, donor: { name: 'Someone', type: 'foundation' } }, 'donor.type'],
    ['an unknown donor field', { ...eu, donor: { ...eu.donor, country: 'BE' } }, 'donor.country'],
    ['an unknown status', { ...eu, status: 'refunded' }, 'status'],
    ['a missing donor', { date: eu.date, status: eu.status }, 'donor'],
  ])('refuses %s with 422 naming the field, and records nothing', async (_what, body, field) => {
    const before = (await published()).length;
    const response = await post(body);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await fieldsOf(response)).toContain(field);
    expect(await published()).toHaveLength(before);
  });

  describe('listing', () => {
    const ids: Record<string, string> = {};
    const list = async (query: string) => {
      const response = await send('GET', `?${query}`);
      expect(response.status).toBe(200);
      return (await response.json()) as Listed;
    };

    beforeAll(async () => {
      const rows: Array<[string, string, string, string | undefined]> = [
        ['a', 'Germany', '2019-03-01', 'LST'],
        ['b', 'Japan', '2019-05-10', 'LST'],
        ['c', 'Germany', '2019-05-10', 'LST'],
        ['d', 'Sweden', '2019-01-15', 'LST'],
        ['e', 'Germany', '2018-12-31', 'LST'],
        ['f', 'Germany', '2019-04-01', 'OTHER'],
        ['g', 'Germany', '2019-04-02', undefined],
      ];
      for (const [name, donor, date, operationCode] of rows) {
        const response = await post({
          donor: { name: donor, type: 'government' },
          date,
          status: 'paid',
          ...(operationCode ? { operationCode } : {}),
        });
        ids[name] = ((await response.json()) as Written).state.id;
      }
    });

    it('pages through one operation, newest first, ties broken by id, with an opaque cursor', async () => {
      const first = await list('operation=LST&limit=3');
      expect(first.items).toHaveLength(3);
      expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const second = await list(`operation=LST&limit=3&cursor=${first.nextCursor}`);
      expect(second.nextCursor).toBeNull();

      const sameDay = [ids['b'], ids['c']].sort().reverse();
      expect([...first.items, ...second.items].map((item) => item.id)).toEqual([...sameDay, ids['a'], ids['d'], ids['e']]);
      expect(first.items[0]).toMatchObject({ operationCode: 'LST', status: 'paid', version: 1 });
    });

    it('filters by donor and date range, and lists unearmarked contributions under UNEARMARKED', async () => {
      const germany = await list('donor=Germany&since=2019-01-01&until=2019-04-01');
      expect(germany.items.map((item) => item.id)).toEqual([ids['f'], ids['a']]);
      const unearmarked = await list('operation=UNEARMARKED&donor=Germany');
      expect(unearmarked.items.map((item) => item.id)).toEqual([ids['g']]);
      expect((await list('operation=LST&donor=Japan&until=2019-05-09')).items).toEqual([]);
    });

    it.each([
      ['operation[$ne]=x', 'operation[$ne]'],
      ['operation=LST&operation=KAZ', 'operation'],
      ['unknown=1', 'unknown'],
      ['operation=lst', 'operation'],
      ['since=2019-02-30', 'since'],
      ['until=yesterday', 'until'],
      ['since=2019-05-01&until=2019-04-01', 'until'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['cursor=*', 'cursor'],
      ['donor=', 'donor'],
    ])('refuses ?%s with 422 naming %s', async (query, field) => {
      const response = await send('GET', `?${query}`);
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await fieldsOf(response)).toContain(field);
    });
  });
});
