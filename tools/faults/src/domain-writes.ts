import { TOPICS } from '@focus/contracts';
import { eventually } from '@focus/testing';
import { FaultStack, PROFILE, SOURCE } from './fault-stack';

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
