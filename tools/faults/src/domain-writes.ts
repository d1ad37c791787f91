import { TOPICS } from '@focus/contracts';
import { eventually } from '@focus/testing';
import { FaultStack, PROFILE, SOURCE, viewJson } from './fault-stack';

/** One valid write per domain topic, through the gateway: each must be acknowledged. */
export async function writeOnEveryTopic(f: FaultStack, variant = 0): Promise<void> {
  const writes: Array<[string, string, unknown]> = [
    ['PUT', '/operations/KAZ', { ...PROFILE, subregion: `Central Asia ${variant}` }],
    ['PUT', '/operations/KAZ/population/2018/REF', { value: 588 + variant, source: SOURCE }],
    ['PUT', '/operations/KAZ/budget/2018/pillars/1', { budgetUsd: 4328075 + variant }],
    ['POST', '/contributions', { donor: { name: `Donor ${variant}`, type: 'government' }, date: '2018-07-09', operationCode: 'KAZ', status: 'paid' }],
  ];
  for (const [method, path, body] of writes) {
    const response = await f.write(method, path, body);
    if (response.status < 200 || response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
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
      counts[name] = existing.has(topic) ? (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0) : 0;
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}

/** The counts once the domain topics hold at least `total` messages: a write is acknowledged when stored, published a moment later. */
export async function countsOncePublished(f: FaultStack, total: number): Promise<Record<string, number>> {
  return eventually(async () => {
    const counts = await topicCounts(f);
    return Object.values(counts).reduce((a, b) => a + b, 0) >= total ? counts : undefined;
  }, 30_000, `${total} events published`);
}

export interface FigureWriteStream {
  /** Ends the stream after the write in flight: year → value of every 2xx, and every other answer. */
  stop(): Promise<{ acknowledged: Map<number, number>; refused: Response[] }>;
}

/**
 * A steady stream of population writes, one year each (so the view says which ones landed),
 * for specs that take something away while writes go on.
 */
export function streamFigureWrites(f: FaultStack, { baseValue, intervalMs }: { baseValue: number; intervalMs: number }): FigureWriteStream {
  const acknowledged = new Map<number, number>();
  const refused: Response[] = [];
  let writing = true;
  const done = (async () => {
    for (let i = 0; writing && i < 200; i++) {
      const year = 1951 + i;
      const response = await f.write('PUT', `/operations/KAZ/population/${year}/REF`, { value: baseValue + i, source: SOURCE });
      if (response.status >= 200 && response.status < 300) acknowledged.set(year, baseValue + i);
      else refused.push(response);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    stop: async () => {
      writing = false;
      await done;
      return { acknowledged, refused };
    },
  };
}

/** Every acknowledged write shows in its year's view, with its value. */
export async function expectAcknowledgedInView(f: FaultStack, acknowledged: Map<number, number>, timeoutMs: number): Promise<void> {
  for (const [year, value] of acknowledged) {
    await eventually(async () => {
      const json = await viewJson(f.stack, 'KAZ', year);
      return json && (JSON.parse(json) as { peopleOfConcern: { total: number } }).peopleOfConcern.total === value ? true : undefined;
    }, timeoutMs, `the view of ${year} shows ${value}`);
  }
}
