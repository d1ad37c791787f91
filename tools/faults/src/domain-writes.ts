import { TOPICS, YEAR_MAX } from '@focus/contracts';
import { eventually, explained } from '@focus/testing';
import { FaultStack, isWarningOrWorse, logLinesOf, PROFILE, SOURCE, viewJson } from './fault-stack';

/** One valid write per domain topic, through the gateway: each must be acknowledged. */
export async function writeOnEveryTopic(f: FaultStack, variant = 0): Promise<void> {
  const writes: Array<[string, string, unknown]> = [
    ['PUT', '/operations/KAZ', { ...PROFILE, subregion: `Central Asia ${variant}` }],
    ['PUT', '/operations/KAZ/population/2018/REF', { value: 588 + variant, source: SOURCE }],
    ['PUT', '/operations/KAZ/budget/2018/pillars/1', { budgetUsd: 4328075 + variant }],
    [
      'POST',
      '/contributions',
      { donor: { name: `Donor ${variant}`, type: 'government' }, date: '2018-07-09', operationCode: 'KAZ', status: 'paid' },
    ],
  ];
  for (const [method, path, body] of writes) {
    const response = await f.write(method, path, body);
    if (response.status < 200 || response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
}

/** The view of KAZ 2018 (canonical JSON) once it shows every write of writeOnEveryTopic(f, variant): not before. */
export async function viewOfEveryTopic(f: FaultStack, variant = 0): Promise<string> {
  return eventually(
    async () => {
      const json = await viewJson(f.stack, 'KAZ', 2018);
      if (!json) return undefined;
      const view = JSON.parse(json) as {
        operation: { subregion: string };
        peopleOfConcern: { total: number };
        budget: { budget: number[] };
        latestContributions: Array<{ donor: string }>;
      };
      const shows =
        view.operation.subregion === `Central Asia ${variant}` &&
        view.peopleOfConcern.total === 588 + variant &&
        view.budget.budget.includes((4328075 + variant) / 1e6) &&
        view.latestContributions.some((c) => c.donor === `Donor ${variant}`);
      return shows ? json : undefined;
    },
    60_000,
    `the view with every write of variant ${variant}`,
  );
}

export const DOMAIN_TOPICS = [TOPICS.population, TOPICS.budget, TOPICS.narratives, TOPICS.contributions];

/** How many messages each domain topic of the namespace holds right now. */
export async function topicCounts(f: FaultStack): Promise<Record<string, number>> {
  const admin = f.kafka.admin();
  await admin.connect();
  try {
    const counts: Record<string, number> = {};
    const existing = new Set(await admin.listTopics());
    for (const name of DOMAIN_TOPICS) {
      const topic = f.ns.topic(name);
      counts[name] = existing.has(topic)
        ? (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)
        : 0;
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}

/** The counts once the domain topics hold at least `total` messages: a write is acknowledged when stored, published a moment later. */
export async function countsOncePublished(f: FaultStack, total: number): Promise<Record<string, number>> {
  return eventually(
    async () => {
      const counts = await topicCounts(f);
      return Object.values(counts).reduce((a, b) => a + b, 0) >= total ? counts : undefined;
    },
    30_000,
    `${total} events published`,
  );
}

export interface FigureWriteStream {
  /** Ends the stream after the write in flight: year → value of every 2xx, and every other answer. */
  stop(): Promise<{ acknowledged: Map<number, number>; refused: Response[] }>;
  /** Every acknowledged write in order, with when (Date.now()): for specs that measure a stall. */
  log: Array<{ year: number; value: number; at: number }>;
}

/**
 * A steady stream of population writes, one year each (so the view says which ones landed),
 * for specs that take something away while writes go on.
 */
export function streamFigureWrites(f: FaultStack, { baseValue, intervalMs }: { baseValue: number; intervalMs: number }): FigureWriteStream {
  const acknowledged = new Map<number, number>();
  const log: Array<{ year: number; value: number; at: number }> = [];
  const refused: Response[] = [];
  let writing = true;
  const done = (async () => {
    // One year each, up to the last valid one; a longer stream starts again at 1951 with new
    // values, so `acknowledged` holds the last value of each year, the one the view must show.
    for (let year = 1951, i = 0; writing; year = year === YEAR_MAX ? 1951 : year + 1, i++) {
      const response = await f.write('PUT', `/operations/KAZ/population/${year}/REF`, { value: baseValue + i, source: SOURCE });
      if (response.status >= 200 && response.status < 300) {
        acknowledged.set(year, baseValue + i);
        log.push({ year, value: baseValue + i, at: Date.now() });
      } else refused.push(response);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    log,
    stop: async () => {
      writing = false;
      await done;
      return { acknowledged, refused };
    },
  };
}

/**
 * Every acknowledged write shows in its year's view, with its value. A failed wait says what
 * the view showed last, what the owner holds for that year, and what the aggregator and the
 * owner warned of.
 */
export async function expectAcknowledgedInView(f: FaultStack, acknowledged: Map<number, number>, timeoutMs: number): Promise<void> {
  for (const [year, value] of acknowledged) {
    let shown: unknown = 'no view';
    await explained(
      eventually(
        async () => {
          const json = await viewJson(f.stack, 'KAZ', year);
          if (!json) return undefined;
          shown = (JSON.parse(json) as { peopleOfConcern: { total: number } }).peopleOfConcern.total;
          return shown === value ? true : undefined;
        },
        timeoutMs,
        `the view of ${year} shows ${value}`,
      ),
      async () => {
        const owner = (await fetch(`${f.stack.urls.population}/operations/KAZ/population`).then((r) => r.json())) as {
          figures: Array<{ year: number; type: string; value: number; version: number }>;
        };
        const held = owner.figures.filter((figure) => figure.year === year && figure.type === 'REF');
        // Which side stopped, the relay or the aggregator.
        return [
          `the view showed ${String(shown)}; population holds ${JSON.stringify(held)}`,
          "the aggregator's last warnings:",
          ...logLinesOf(f, 'operation-view', isWarningOrWorse, { last: 6, width: 600 }),
          "population's last warnings:",
          ...logLinesOf(f, 'population', isWarningOrWorse, { last: 6, width: 600 }),
        ].join('\n');
      },
    );
  }
}

/** How many contributions an operation's view lists (apps/operation-view: LATEST_CONTRIBUTIONS). */
export const VIEW_LISTS_CONTRIBUTIONS = 20;

export interface ContributionWrite {
  /** Unique per write, so the view (which shows no ids) says which ones landed, and how often. */
  donor: string;
  idempotencyKey: string;
  body: Record<string, unknown>;
  /** What the spec was doing to the system while the write was in flight. */
  phase: string;
  status: number;
}

/**
 * Non-idempotent writes: `POST /contributions`, each with its own Idempotency-Key and donor,
 * earmarked to KAZ, recorded with the phase of the fault they were made in.
 */
export function contributionWrites(f: FaultStack, label: string) {
  const writes: ContributionWrite[] = [];
  const post = async (phase: string): Promise<ContributionWrite> => {
    const n = writes.length + 1;
    const donor = `${label} donor ${String(n).padStart(2, '0')}`;
    const body = {
      donor: { name: donor, type: 'government' },
      date: `2019-07-${String(1 + (n % 28)).padStart(2, '0')}`,
      amountUsd: 1000 + n,
      operationCode: 'KAZ',
      status: 'paid',
    };
    const write: ContributionWrite = { donor, idempotencyKey: `faults-${label}-${n}`, body, phase, status: 0 };
    writes.push(write);
    write.status = (await f.write('POST', '/contributions', body, { 'idempotency-key': write.idempotencyKey })).status;
    return write;
  };
  return {
    writes,
    post,
    /** The same request again, as a client that lost the answer would send it. */
    retry: (write: ContributionWrite) => f.write('POST', '/contributions', write.body, { 'idempotency-key': write.idempotencyKey }),
    acknowledged: () => writes.filter((w) => w.status >= 200 && w.status < 300),
    refused: () => writes.filter((w) => w.status < 200 || w.status >= 300),
  };
}

/** The donors the aggregator's view of KAZ lists under latestContributions, sorted. */
export async function viewDonors(f: FaultStack): Promise<string[] | undefined> {
  const response = await fetch(`${f.stack.urls['operation-view']}/operations/KAZ`);
  if (response.status !== 200) return undefined;
  const view = (await response.json()) as { latestContributions: Array<{ donor: string }> };
  return view.latestContributions.map((c) => c.donor).sort();
}

/**
 * Every acknowledged contribution shows in the view and in the owner's list exactly once, and
 * nothing else does (no refused write, no second copy of an acknowledged one).
 */
export async function expectContributionsExactlyOnce(f: FaultStack, acknowledged: ContributionWrite[], timeoutMs: number): Promise<void> {
  expect(acknowledged.length).toBeLessThanOrEqual(VIEW_LISTS_CONTRIBUTIONS);
  const expected = acknowledged.map((w) => w.donor).sort();
  const inView = await eventually(
    async () => {
      const donors = await viewDonors(f);
      return donors && expected.every((donor) => donors.includes(donor)) ? donors : undefined;
    },
    timeoutMs,
    `the ${expected.length} acknowledged contributions in the view`,
  );
  expect(inView).toEqual(expected);
  const listed = (await (await f.read('/contributions?operation=KAZ&limit=200')).json()) as { items: Array<{ donor: { name: string } }> };
  expect(listed.items.map((c) => c.donor.name).sort()).toEqual(expected);
}
