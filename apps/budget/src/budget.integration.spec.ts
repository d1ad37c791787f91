import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { BudgetLineState, TOPICS } from '@focus/contracts';
import { listen } from '@focus/service-kit';
import { revisionsOf } from '@focus/messaging';
import { cleanUp, connectTestDb, publishedEvents, serviceEnvironment, testKafka, testNamespace } from '@focus/testing';
import { createBudgetApp } from './app.module';
import { budgetConfig } from './config';
import { BUDGET_LINES } from './lines/budget-lines.service';

// Money from the seed page: USD millions with 8 decimals are exact cents, and stay exact.
describe('budget service', () => {
  const ns = testNamespace('budget');
  let app: NestFastifyApplication;
  let base: string;
  let kafka: Kafka;
  let db: Connection;
  const published = () => publishedEvents<BudgetLineState>(kafka, ns.topic(TOPICS.budget), db, [BUDGET_LINES].map(revisionsOf));
  const put = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/operations/KAZ/budget${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    kafka = testKafka(ns);
    db = await connectTestDb(ns);
    const config = budgetConfig(serviceEnvironment(ns));
    app = await createBudgetApp(config);
    base = await listen(app, config, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await cleanUp(ns, kafka, db);
  });

  it('stores dollars as exact integer cents and publishes them', async () => {
    // 2014 pillar 1 on the page: budget 4.99603601, expenditure 2.51744847 (USD millions).
    const response = await put('/2014/pillars/1', { budgetUsd: 4996036.01, expenditureUsd: 2517448.47 });
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    const [event] = await published();
    expect(event).toMatchObject({
      type: 'budget.line.upserted',
      subject: { operationCode: 'KAZ', entityId: 'KAZ:2014:p1', version: 1 },
      data: { operationCode: 'KAZ', year: 2014, pillar: 1, budgetCents: 499603601, expenditureCents: 251744847 },
    });
  });

  it('keeps expenditure null for a year not yet closed', async () => {
    expect((await put('/2019/pillars/2', { budgetUsd: 1200774.17, expenditureUsd: null })).status).toBe(201);
    expect((await put('/2019/pillars/1', { budgetUsd: 4328075 })).status).toBe(201);
    const lines = (await (await fetch(`${base}/operations/KAZ/budget`)).json()) as {
      lines: Array<BudgetLineState & { expenditureUsd: number | null }>;
    };
    expect(lines.lines.filter((l) => l.year === 2019).map((l) => [l.pillar, l.expenditureCents, l.expenditureUsd])).toEqual([
      [1, null, null],
      [2, null, null],
    ]);
  });

  it.each([
    ['three decimals', { budgetUsd: 1.005 }, 'budgetUsd'],
    ['a negative amount', { budgetUsd: -1 }, 'budgetUsd'],
    ['a numeric string', { budgetUsd: '100' }, 'budgetUsd'],
    ['an unknown field', { budgetUsd: 1, currency: 'EUR' }, 'currency'],
    ['an operator', { budgetUsd: 1, expenditureUsd: { $gt: 0 } }, 'expenditureUsd'],
  ])('refuses %s with 422 naming the field, and publishes nothing', async (_what, body, field) => {
    const before = (await published()).length;
    const response = await put('/2015/pillars/1', body);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toContain(field);
    expect(await published()).toHaveLength(before);
  });

  it('refuses pillars outside 1..4 and deletes a line with a tombstone event', async () => {
    expect((await put('/2015/pillars/5', { budgetUsd: 1 })).status).toBe(400);
    // Only "1".."4" name a pillar: other spellings of 1 once deleted pillar 1 (found by the fault suite).
    for (const pillar of ['01', '1.0', '0x1', '1e0']) {
      expect((await put(`/2015/pillars/${pillar}`, { budgetUsd: 1 })).status).toBe(400);
      expect((await fetch(`${base}/operations/KAZ/budget/2014/pillars/${pillar}`, { method: 'DELETE' })).status).toBe(400);
    }
    const deleted = await fetch(`${base}/operations/KAZ/budget/2019/pillars/2`, { method: 'DELETE', headers: { 'if-match': '"1"' } });
    expect(deleted.status).toBe(204);
    const events = await published();
    expect(events.at(-1)).toMatchObject({ type: 'budget.line.deleted', subject: { entityId: 'KAZ:2019:p2', version: 2 }, data: null });
  });
});
