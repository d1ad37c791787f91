import type { Admin } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { EventEnvelope } from '@focus/contracts';
import { createTopics, stackDatabaseName } from '@focus/testing';
import { endOffsets } from '@focus/messaging';
import { BenchContext } from '../bench-context';
import { waitForGroupToReach } from '../consumer-progress';
import { buildCorpus } from '../event-corpus';
import { MinimalProjector } from '../minimal-projector';
import { publishEvents } from '../publish';
import { BenchRow, row } from '../results';
import { DOMAIN_TOPICS } from '../topics';

export const PROJECTION_CODE_PREFIX = 'BENCH-';
const CAUGHT_UP_TIMEOUT_MS = 20 * 60_000;

/**
 * projection: the corpus published onto the live aggregator's topics, timed from the first
 * publish until the aggregator's group has committed the last event (it commits only what
 * it has applied). The baseline gets the same events on topics of its own, with the same
 * partitions, published the same way, while it runs caught up in the same way.
 */
export interface ProjectionOutcome {
  rows: BenchRow[];
  /** The version each corpus operation's view must have: what a rebuild must reproduce. */
  expectedVersions: Map<string, number>;
}

export async function projectionScenario(ctx: BenchContext): Promise<ProjectionOutcome> {
  const shape = { ...ctx.sizes.projection, codePrefix: PROJECTION_CODE_PREFIX };
  ctx.log(`projection: building ${shape.events} events (${shape.operations} operations × ${shape.years} years, four domains)`);
  const events = buildCorpus(shape);
  const admin = ctx.kafka.admin();
  await admin.connect();
  const mongo = await new MongoClient(ctx.mongoUrl).connect();
  try {
    ctx.log('projection: the aggregator');
    const aggregatorTopics = DOMAIN_TOPICS.map((t) => `${ctx.ns.topicPrefix}${t}`);
    const aggregatorSeconds = await timeUntilApplied(ctx, admin, `${ctx.ns.topicPrefix}operation-view`, aggregatorTopics, () =>
      publishEvents(ctx.kafka, ctx.ns.topicPrefix, events),
    );
    const expectedVersions = expectedViewVersions(events);
    await expectViewsAtVersions(`${ctx.stack.urls['operation-view']}/operations`, expectedVersions);

    ctx.log('projection: the baseline (kafkajs + bulkWrite)');
    const baselinePrefix = `${ctx.ns.topicPrefix}baseline.`;
    const baselineTopics = DOMAIN_TOPICS.map((t) => `${baselinePrefix}${t}`);
    await createTopics(ctx.kafka, baselineTopics, Number(ctx.stack.envOf('operation-view')['KAFKA_TOPIC_PARTITIONS'] ?? 3));
    const collection = mongo.db(stackDatabaseName(ctx.ns, 'operation-view')).collection('baseline_views');
    const baseline = new MinimalProjector(ctx.kafka, `${baselinePrefix}minimal`, baselineTopics, collection);
    await baseline.start();
    let baselineSeconds: number;
    try {
      baselineSeconds = await timeUntilApplied(ctx, admin, `${baselinePrefix}minimal`, baselineTopics, () =>
        publishEvents(ctx.kafka, baselinePrefix, events),
      );
    } finally {
      await baseline.stop();
    }
    const baselineViews = await collection.countDocuments({});
    if (baselineViews !== shape.operations)
      throw new Error(`projection baseline: ${baselineViews} of ${shape.operations} documents written`);

    const perSecond = (seconds: number) => events.length / seconds;
    return {
      rows: [
        row('projection', 'events_per_s', 'events/s', perSecond(aggregatorSeconds), perSecond(baselineSeconds), 'ratio ≥ 0.5'),
        row('projection', 'seconds', 's', aggregatorSeconds, baselineSeconds),
      ],
      expectedVersions,
    };
  } finally {
    await mongo.close();
    await admin.disconnect();
  }
}

async function timeUntilApplied(
  ctx: BenchContext,
  admin: Admin,
  groupId: string,
  topics: string[],
  publish: () => Promise<void>,
): Promise<number> {
  const started = Date.now();
  await publish();
  const published = Date.now();
  const ends = await endOffsets(admin, topics);
  const done = await waitForGroupToReach(admin, groupId, topics, ends, { timeoutMs: CAUGHT_UP_TIMEOUT_MS });
  ctx.log(`  published in ${((published - started) / 1000).toFixed(1)} s, all applied after ${((done - started) / 1000).toFixed(1)} s`);
  return (done - started) / 1000;
}

/**
 * A view's version is the sum of the versions of the entity states it holds, so the version
 * each corpus operation must reach follows from the events alone.
 */
export function expectedViewVersions(events: readonly EventEnvelope[]): Map<string, number> {
  const newest = new Map<string, number>();
  for (const { subject } of events) {
    const key = `${subject.operationCode} ${subject.entityId}`;
    newest.set(key, Math.max(newest.get(key) ?? 0, subject.version));
  }
  const versions = new Map<string, number>();
  for (const [key, version] of newest) {
    const code = key.slice(0, key.indexOf(' '));
    versions.set(code, (versions.get(code) ?? 0) + version);
  }
  return versions;
}

/** A run only counts if the read model holds what was sent: every operation, at its last version. */
export async function expectViewsAtVersions(listUrl: string, expected: Map<string, number>): Promise<void> {
  const response = await fetch(listUrl);
  const listed = new Map(((await response.json()) as Array<{ code: string; version: number }>).map((o) => [o.code, o.version]));
  const wrong = [...expected].filter(([code, version]) => listed.get(code) !== version);
  if (wrong.length > 0) {
    const [code, version] = wrong[0];
    throw new Error(
      `read model incomplete: ${wrong.length} of ${expected.size} operations not at their last version (${code}: ${listed.get(code) ?? 'absent'}, expected ${version})`,
    );
  }
}
