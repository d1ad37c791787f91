import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanUpStack, eventually, Stack, startStack, testKafka, testNamespace } from '@focus/testing';

// History and the page as it stood, end to end: the real apps from the build, the real broker
// and server, driven through the gateway only; then the same answers after views:rebuild.
const EDITOR = 'history-editor-key-0123456789';

interface Revision {
  version: number;
  deleted: boolean;
  state: { value?: number; status?: string; operationCode?: string } | null;
  source?: { name: string; asOf: string };
  recordedAt: string;
  requestId: string | null;
}
interface Page {
  items: Revision[];
  nextCursor: string | null;
}
interface View {
  peopleOfConcern: { total: number | null; breakdown: Array<[string, number]>; sources: Array<{ name: string }> };
}

describe('history and as-of views through the gateway', () => {
  const ns = testNamespace('gateway-history');
  let stack: Stack;
  let api: string;

  beforeAll(async () => {
    stack = await startStack({
      namespace: ns,
      appEnv: { 'api-gateway': { GATEWAY_API_KEYS: `editor:editor:${EDITOR}`, PORTAL_DIR: '/nonexistent/portal' } },
      echo: process.env['STACK_ECHO'] ? (line) => process.stdout.write(line) : undefined,
    });
    api = `${stack.gatewayUrl}/api/v1`;
    // The suite that runs first builds the apps (startStack), on a machine that may be busy.
  }, 480_000);

  afterAll(async () => {
    await stack?.stop();
    await cleanUpStack(ns, process.env['MONGO_URL'], testKafka(ns));
  });

  const write = (method: string, path: string, body: unknown, requestId: string) =>
    fetch(`${api}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'x-api-key': EDITOR, 'x-request-id': requestId },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const read = async <T>(path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${api}${path}`, { headers });
    return { response, body: (await response.json().catch(() => undefined)) as T };
  };
  const historyUntil = (path: string, count: number) =>
    eventually(
      async () => {
        const { body } = await read<Page>(`${path}/history`);
        return body?.items?.length === count ? body.items : undefined;
      },
      30_000,
      `${count} revisions of ${path}`,
    );
  const between = (a: string, b: string) => new Date((Date.parse(a) + Date.parse(b)) / 2).toISOString();
  const asOf = (instant: string, code = 'HST') => read<View>(`/operations/${code}?year=2018&asOf=${encodeURIComponent(instant)}`);
  const refugees = (view: View) => view.peopleOfConcern.breakdown.find(([label]) => label === 'Refugees')?.[1];
  const written: Record<string, Revision[]> = {};

  it('a figure written three times with three sources has three revisions with their states, sources and request ids', async () => {
    const asy = await write(
      'PUT',
      '/operations/HST/population/2018/ASY',
      { value: 100, source: { name: 'Page', asOf: '2018-12-31' } },
      'hst-asy',
    );
    expect(asy.status).toBe(201);
    const releases = [
      [588, 'UNHCR Global Focus 2019'],
      [568, 'UNHCR population statistics 2025'],
      [570, 'A third release'],
    ] as const;
    for (const [i, [value, name]] of releases.entries()) {
      const written = await write(
        'PUT',
        '/operations/HST/population/2018/REF',
        { value, source: { name, asOf: '2018-12-31' } },
        `hst-ref-${i + 1}`,
      );
      expect(written.status).toBeLessThan(300);
    }
    const items = await historyUntil('/operations/HST/population/2018/REF', 3);
    expect(items.map((r) => [r.version, r.deleted, r.state?.value, r.source?.name, r.requestId])).toEqual([
      [3, false, 570, 'A third release', 'hst-ref-3'],
      [2, false, 568, 'UNHCR population statistics 2025', 'hst-ref-2'],
      [1, false, 588, 'UNHCR Global Focus 2019', 'hst-ref-1'],
    ]);
    written['REF'] = items;
    const first = await read<Page>('/operations/HST/population/2018/REF/history?limit=2');
    expect(first.body.items.map((r) => r.version)).toEqual([3, 2]);
    const second = await read<Page>(`/operations/HST/population/2018/REF/history?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ version: 1 }], nextCursor: null });
  });

  it('the view as of between the first and second write shows the first value in its total and breakdown', async () => {
    const [third, second, first] = written['REF'];
    const { response, body } = await asOf(between(first.recordedAt, second.recordedAt));
    expect(response.status).toBe(200);
    expect(refugees(body)).toBe(588);
    expect(body.peopleOfConcern.total).toBe(688);
    expect(refugees((await asOf(between(second.recordedAt, third.recordedAt))).body)).toBe(568);
    // The live view is untouched by as-of reads, and as-of reads by the live view's cache.
    expect(refugees((await read<View>('/operations/HST?year=2018')).body)).toBe(570);
  });

  it('a deletion is a revision, and the page as of before it still shows the figure', async () => {
    expect((await write('DELETE', '/operations/HST/population/2018/REF', undefined, 'hst-ref-delete')).status).toBe(204);
    const items = await historyUntil('/operations/HST/population/2018/REF', 4);
    expect(items[0]).toMatchObject({ version: 4, deleted: true, state: null, requestId: 'hst-ref-delete' });
    const before = await asOf(between(items[1].recordedAt, items[0].recordedAt));
    expect([refugees(before.body), before.body.peopleOfConcern.total]).toEqual([570, 670]);
    const after = await eventually(
      async () => {
        const { body } = await asOf(new Date().toISOString());
        return body.peopleOfConcern.total === 100 ? body : undefined;
      },
      30_000,
      'the view as of now without the deleted figure',
    );
    expect(refugees(after)).toBeUndefined();
  });

  it('an import keeps its release: both sources readable in history, the page as of before it shows the old figure', async () => {
    const pageFigure = { value: 588, source: { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' } };
    const fromPage = await write('PUT', '/operations/KAZ/population/2018/REF', pageFigure, 'kaz-page');
    expect(fromPage.status).toBe(201);
    const [page] = await historyUntil('/operations/KAZ/population/2018/REF', 1);
    const csv = readFileSync(resolve(__dirname, '../../../population/src/testing/unhcr-kaz-2016-2018.csv'));
    const release = 'UNHCR population statistics 1951-2025 (test extract)';
    // Before the import's first revision: its figures by origin land before the page's figure goes.
    const beforeImport = new Date().toISOString();
    const imported = await fetch(`${api}/imports/population?source=${encodeURIComponent(release)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-api-key': EDITOR },
      body: csv,
    });
    expect(imported.status).toBe(201);
    // The release reports KAZ's refugees by origin: its figures (KAZ:2018:REF:AFG, …) replace the
    // page's figure without one, whose history ends in that deletion.
    const [now, then] = await historyUntil('/operations/KAZ/population/2018/REF', 2);
    expect([now.deleted, then.source?.name, then.state?.value]).toEqual([true, 'UNHCR Global Focus 2019', 588]);
    // A figure by origin is named by ?origin= (the rest of the query, paging, still applies).
    const afghans = await eventually(
      async () => (await read<Page>('/operations/KAZ/population/2018/REF/history?origin=AFG&limit=5')).body?.items?.[0],
      30_000,
      'the history of KAZ:2018:REF:AFG',
    );
    expect(afghans).toMatchObject({ version: 1, state: { origin: 'AFG', value: 538 }, source: { name: release } });
    const current = await eventually(
      async () => {
        const { body } = await asOf(new Date().toISOString(), 'KAZ');
        return body.peopleOfConcern.sources.some((s) => s.name === release) ? body : undefined;
      },
      30_000,
      'the release among the view sources',
    );
    expect(refugees(current)).not.toBe(588);
    const old = await asOf(between(page.recordedAt, beforeImport), 'KAZ');
    expect(refugees(old.body)).toBe(588);
    expect(old.body.peopleOfConcern.sources.map((s) => s.name)).toEqual(['UNHCR Global Focus 2019']);
  });

  it('every entity path has a history; a contribution moved to another operation leaves the old one as of its move', async () => {
    const profile = { name: { en: 'History', fr: 'Histoire' }, region: 'Europe', subregion: 'Central Asia', offices: [] };
    expect((await write('PUT', '/operations/HST', profile, 'hst-profile')).status).toBe(201);
    expect(
      (await write('PUT', '/operations/HST/budget/2018/pillars/1', { budgetUsd: 1000, expenditureUsd: null }, 'hst-budget')).status,
    ).toBe(201);
    const keyFigures = { items: [{ value: 3, unit: 'people', text: { en: 'three' } }] };
    expect((await write('PUT', '/operations/HST/key-figures/2018/result', keyFigures, 'hst-kf')).status).toBe(201);
    expect((await write('PUT', '/operations/HST/narratives/2018/en/unmet-needs', { body: 'Some.' }, 'hst-text')).status).toBe(201);
    const paths = ['', '/budget/2018/pillars/1', '/key-figures/2018/result', '/narratives/2018/en/unmet-needs'].map(
      (path) => `/operations/HST${path}`,
    );
    for (const path of paths) {
      expect((await historyUntil(path, 1))[0]).toMatchObject({ version: 1, deleted: false });
    }
    const body = (operationCode: string) => ({
      donor: { name: 'Norway', type: 'government' },
      date: '2019-07-08',
      operationCode,
      status: 'paid',
    });
    const json = { 'content-type': 'application/json', 'x-api-key': EDITOR };
    const recorded = await fetch(`${api}/contributions`, { method: 'POST', headers: json, body: JSON.stringify(body('HST')) });
    const id = ((await recorded.json()) as { state: { id: string } }).state.id;
    const [first] = await historyUntil(`/contributions/${id}`, 1);
    const move = await fetch(`${api}/contributions/${id}`, {
      method: 'PUT',
      headers: { ...json, 'if-match': '"1"' },
      body: JSON.stringify(body('HST-NEW')),
    });
    expect(move.status).toBe(200);
    const [moved] = await historyUntil(`/contributions/${id}`, 2);
    expect([moved.state?.operationCode, first.state?.operationCode]).toEqual(['HST-NEW', 'HST']);
    const donors = async (instant: string) => {
      const { body } = await read<{ latestContributions: Array<{ donor: string }> }>(`/operations/HST?asOf=${encodeURIComponent(instant)}`);
      return body.latestContributions.map((c) => c.donor);
    };
    expect(await donors(between(first.recordedAt, moved.recordedAt))).toEqual(['Norway']);
    // The move is two events on two keys ("updated" under HST-NEW, "moved" under HST), applied in
    // either order: the history has version 2 as soon as the first is; HST's page, once it has both.
    await eventually(
      async () =>
        (await read<{ latestContributions: unknown[] }>('/operations/HST')).body?.latestContributions?.length === 0 ? true : undefined,
      30_000,
      'HST without the contribution that moved away',
    );
    expect(await donors(new Date().toISOString())).toEqual([]);
  });

  it('refuses malformed paths, instants and cursors; 404 for what never existed or before its first change', async () => {
    expect((await read('/operations/HST/population/2018/XYZ/history')).response.status).toBe(400);
    expect((await read('/contributions/not-an-id/history')).response.status).toBe(400);
    expect((await read('/operations/HST/population/1999/REF/history')).response.status).toBe(404);
    expect((await read('/operations/HST/population/2018/REF/history?cursor=!!')).response.status).toBe(422);
    for (const origin of ['origin=SY', 'origin=SYR&origin=AFG', 'origin[$ne]=SYR']) {
      const { response } = await read(`/operations/HST/population/2018/REF/history?${origin}`);
      expect([origin, response.status]).toEqual([origin, origin.includes('$') ? 422 : 400]);
    }
    expect((await read('/operations/HST/population/2018/total/history?origin=SYR')).response.status).toBe(400);
    for (const bad of ['2019-07-01', 'soon', new Date(Date.now() + 3_600_000).toISOString()]) {
      const { response } = await asOf(bad);
      expect([bad, response.status, response.headers.get('content-type')]).toEqual([bad, 400, expect.stringMatching(/problem\+json/)]);
    }
    const before = await asOf('2001-01-01T00:00:00Z');
    expect([before.response.status, before.response.headers.get('content-type')]).toEqual([404, expect.stringMatching(/problem\+json/)]);
  });

  it('views:rebuild restores the same history and as-of answers', async () => {
    const [, second, first] = written['REF'];
    const instant = between(first.recordedAt, second.recordedAt);
    const snapshot = async () => ({
      ref: (await read<Page>('/operations/HST/population/2018/REF/history')).body,
      kaz: (await read<Page>('/operations/KAZ/population/2018/REF/history')).body,
      view: (await asOf(instant)).body,
    });
    const before = await snapshot();
    const aggregator = stack.urls['operation-view'];
    expect((await fetch(`${aggregator}/admin/rebuild`, { method: 'POST' })).status).toBe(202);
    await eventually(
      async () => {
        const status = (await (await fetch(`${aggregator}/admin/rebuild`)).json()) as { phase: string };
        if (status.phase === 'failed') throw new Error(`rebuild failed: ${JSON.stringify(status)}`);
        return status.phase === 'done' ? status : undefined;
      },
      120_000,
      'rebuild done',
    );
    expect(await snapshot()).toEqual(before);
  });
});
