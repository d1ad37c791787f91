/**
 * A stand-in for the gateway while it is being built: a Node HTTP server that serves a built
 * portal directory at `/` and the fixture API under /api/v1 (the seed operation's views, from
 * fixtures/kaz-ro-views.json) and the population types' reference list, with an SSE stream the
 * test pushes contribution events into.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { POPULATION_TYPES } from '@focus/contracts';
import type { ContributionItem, ContributionState, EventEnvelope, OperationView } from '../api';
import fixture from './fixtures/kaz-ro-views.json';

export const FIXTURE_VIEWS = fixture.views as unknown as Record<string, OperationView>;
export const FIXTURE_OPERATIONS = fixture.operations;

/** What a portal test writes: the body of POST /api/v1/contributions. */
export interface ContributionInput {
  donor: { name: string; type: string };
  date: string;
  operationCode?: string;
  amountUsd?: number;
  status: 'pledged' | 'paid';
}

/** What a portal test revises: a population figure of the seed operation, under a new source. */
export interface FigureRevisionInput {
  year: number;
  type: string;
  value: number;
  source: { name: string; asOf: string };
}

/** A contribution as written: the id it was given. */
export interface WrittenContribution {
  id: string;
}

export interface FixtureApi {
  baseUrl: string;
  /** Lists the contribution in the operation's views, then emits contributions.contribution.recorded on the stream, as the gateway would. */
  writeContribution(input: ContributionInput): Promise<WrittenContribution>;
  /**
   * Replaces a written contribution with `input` (its earmark changed): emits what the
   * contributions service publishes, "moved" under the operation left and "updated" under the new one.
   */
  moveContribution(id: string, input: ContributionInput): Promise<void>;
  /** Records a new revision of a figure of the 2018 breakdown: its views and history show it from now on. */
  reviseFigure(input: FigureRevisionInput): Promise<void>;
  /** Requests received, for assertions on what the page asked for. */
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export async function startFixtureApi(staticDir: string, port = 0): Promise<FixtureApi> {
  const streams = new Set<ServerResponse>();
  const requests: string[] = [];
  const root = resolve(staticDir);
  const figureHistory = new FigureHistory();
  const written = new WrittenContributions();

  const json = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: ServerResponse, detail: string) =>
    json(res, 404, { type: 'about:blank', title: 'Not Found', status: 404, detail }, 'application/problem+json');

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (url.pathname === '/api/v1/operations') return json(res, 200, FIXTURE_OPERATIONS);
    if (url.pathname === '/api/v1/reference/population-types') return json(res, 200, POPULATION_TYPE_LIST);
    if (url.pathname === '/api/v1/contributions/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const figure = /^\/api\/v1\/operations\/KAZ-RO\/population\/(\d{4})\/([A-Z]+)\/history$/.exec(url.pathname);
    if (figure) {
      const items = figureHistory.of(Number(figure[1]), figure[2]!);
      if (!items) return notFound(res, `nothing recorded for ${url.pathname}`);
      return json(res, 200, { entityId: `KAZ-RO:${figure[1]}:${figure[2]}`, items, nextCursor: null });
    }
    const operation = /^\/api\/v1\/operations\/([^/]+)$/.exec(url.pathname);
    if (operation) {
      const code = decodeURIComponent(operation[1]!);
      const lang = url.searchParams.get('lang') ?? 'en';
      const year = url.searchParams.get('year') ?? String(Math.max(...FIXTURE_OPERATIONS[0]!.years));
      const asOf = url.searchParams.get('asOf') ?? undefined;
      const view = code === 'KAZ-RO' ? FIXTURE_VIEWS[`${year}:${lang}`] : undefined;
      if (asOf !== undefined && !(Date.parse(asOf) <= Date.now())) {
        const problem = { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'asOf is malformed or in the future' };
        return json(res, 400, problem, 'application/problem+json');
      }
      const shown = view && figureHistory.apply(asOf === undefined ? written.apply(view) : view, asOf);
      return shown ? json(res, 200, shown) : notFound(res, `no view of ${code} for ${year} in ${lang}${asOf ? ` as of ${asOf}` : ''}`);
    }
    if (url.pathname.startsWith('/api/')) return notFound(res, `${url.pathname} is not served by the fixture API`);
    const file = resolve(root, `.${url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return notFound(res, url.pathname);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  };

  /** Sends one event to every open stream, framed as the gateway frames it. */
  const emit = (type: string, data: ContributionState, operationCode: string, version: number) => {
    const envelope: EventEnvelope<ContributionState> = {
      id: randomUUID(),
      type,
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      source: 'contributions',
      subject: { operationCode, entityId: data.id, version },
      data,
    };
    const frame = `id: ${envelope.id}\nevent: ${envelope.type}\ndata: ${JSON.stringify(envelope)}\n\n`;
    for (const stream of streams) stream.write(frame);
  };

  const server = createServer(handle);
  await new Promise<void>((resolveListen) => server.listen(port, '127.0.0.1', resolveListen));
  const { port: bound } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${bound}`,
    requests,
    async writeContribution(input) {
      const id = randomUUID();
      written.record(id, input);
      emit('contributions.contribution.recorded', stateOf(id, input), operationOf(input), 1);
      return { id };
    },
    async reviseFigure(input) {
      figureHistory.revise(input);
    },
    async moveContribution(id, input) {
      const { left, version } = written.move(id, input);
      emit('contributions.contribution.moved', stateOf(id, input), left, version);
      emit('contributions.contribution.updated', stateOf(id, input), operationOf(input), version);
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const stream of streams) stream.end();
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

const POPULATION_TYPE_LIST = POPULATION_TYPES.map(({ code, label }) => ({ code, name: label }));

/**
 * The contributions a test writes, as the current views list them: above the seed's (the checks
 * write today's date), under the operation they are earmarked to; each write is a new version of
 * the views. The read model's rule itself (order, cancellations, the limit) is apps/operation-view's.
 */
class WrittenContributions {
  private readonly byId = new Map<string, { input: ContributionInput; version: number }>();
  private writes = 0;

  record(id: string, input: ContributionInput): void {
    this.byId.set(id, { input, version: 1 });
    this.writes++;
  }

  /** Re-earmarks a written contribution: the operation it left, and its new version. */
  move(id: string, input: ContributionInput): { left: string; version: number } {
    const before = this.byId.get(id);
    if (!before) throw new Error(`the fixture API wrote no contribution ${id}`);
    const left = operationOf(before.input);
    if (left === operationOf(input)) throw new Error('moveContribution must change the earmark: nothing is "moved" otherwise');
    const version = before.version + 1;
    this.byId.set(id, { input, version });
    this.writes++;
    return { left, version };
  }

  apply(view: OperationView): OperationView {
    const listed: ContributionItem[] = [...this.byId]
      .filter(([, { input }]) => operationOf(input) === view.operation.code)
      .reverse()
      .map(([id, { input }]) => ({
        id,
        date: input.date,
        donor: input.donor.name,
        donorType: input.donor.type,
        status: input.status,
        ...(input.amountUsd === undefined ? {} : { amountUsd: input.amountUsd }),
      }));
    return {
      ...view,
      latestContributions: [...listed, ...view.latestContributions],
      meta: { ...view.meta, version: view.meta.version + this.writes },
    };
  }
}

/** When the fixture's figures were recorded: the seed page's publication. */
const SEEDED_AT = '2019-06-20T12:00:00.000Z';
const SEED_SOURCE = { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' };

interface FixtureRevision {
  version: number;
  deleted: boolean;
  state: { value: number };
  source: { name: string; asOf: string };
  recordedAt: string;
}

/**
 * The 2018 breakdown's history, as the aggregator answers it: every figure recorded once
 * when the page was seeded, then whatever a test revises; views of 2018 show the values
 * current at the instant asked for (now, or asOf). Before the seed: no view (404).
 */
class FigureHistory {
  private readonly revisions = new Map<string, FixtureRevision[]>();

  constructor() {
    for (const [label, value] of FIXTURE_VIEWS['2018:en']?.peopleOfConcern.breakdown ?? []) {
      const type = POPULATION_TYPES.find((t) => t.label.en === label)?.code;
      if (type)
        this.revisions.set(`2018:${type}`, [{ version: 1, deleted: false, state: { value }, source: SEED_SOURCE, recordedAt: SEEDED_AT }]);
    }
  }

  of(year: number, type: string): FixtureRevision[] | undefined {
    return this.revisions.get(`${year}:${type}`)?.slice().reverse();
  }

  revise(input: FigureRevisionInput): void {
    const list = this.revisions.get(`${input.year}:${input.type}`);
    if (input.year !== 2018 || !list) throw new Error('the fixture API revises only figures of the 2018 breakdown');
    list.push({
      version: list.length + 1,
      deleted: false,
      state: { value: input.value },
      source: input.source,
      recordedAt: new Date().toISOString(),
    });
  }

  /** The view with the 2018 figures as they were at `asOf`; undefined before any was recorded. */
  apply(view: OperationView, asOf?: string): OperationView | undefined {
    const until = asOf === undefined ? Number.POSITIVE_INFINITY : Date.parse(asOf);
    if (until < Date.parse(SEEDED_AT)) return undefined;
    if (view.year !== 2018) return asOf === undefined ? view : { ...view, asOf: new Date(until).toISOString() };
    const lang = view.narratives.lang;
    let total = 0;
    const breakdown = view.peopleOfConcern.breakdown.map(([label, seeded]): [string, number] => {
      const type = POPULATION_TYPES.find((t) => t.label[lang] === label)?.code;
      const current = [...(this.revisions.get(`2018:${type}`) ?? [])].reverse().find((r) => Date.parse(r.recordedAt) <= until);
      const value = current?.state.value ?? seeded;
      total += value;
      return [label, value];
    });
    const totalsByYear = view.peopleOfConcern.totalsByYear.map((t) => (t.year === 2018 ? { ...t, total } : t));
    const peopleOfConcern = { ...view.peopleOfConcern, breakdown, total, totalsByYear };
    return { ...view, peopleOfConcern, ...(asOf === undefined ? {} : { asOf: new Date(until).toISOString() }) };
  }
}

const operationOf = (input: ContributionInput) => input.operationCode ?? 'UNEARMARKED';

function stateOf(id: string, input: ContributionInput): ContributionState {
  return {
    id,
    donor: input.donor,
    date: input.date,
    status: input.status,
    ...(input.operationCode ? { operationCode: input.operationCode } : {}),
    ...(input.amountUsd === undefined ? {} : { amountCents: Math.round(input.amountUsd * 100) }),
  };
}

if (require.main === module) {
  // Manual look: `npx tsx apps/portal/src/testing/fixture-api.ts [port]` after building the portal.
  startFixtureApi(resolve(__dirname, '../../../../dist/portal'), Number(process.argv[2] ?? 4310)).then((api) =>
    console.log(`portal with the fixture API at ${api.baseUrl}/?op=KAZ-RO&year=2018&lang=en`),
  );
}
