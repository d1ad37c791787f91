import type { Admin } from 'kafkajs';
import { cleanUpStack, Stack, startStack, testNamespace } from '@focus/testing';
import { endOffsets } from '@focus/messaging';
import { BenchContext } from '../bench-context';
import { waitForGroupToReach } from '../consumer-progress';
import { buildCorpus } from '../event-corpus';
import { measureLoad } from '../http-load';
import { publishEvents } from '../publish';
import { BenchRow, row } from '../results';
import { DOMAIN_TOPICS } from '../topics';
import { expectedViewVersions, expectViewsAtVersions } from './projection';

const CAUGHT_UP_TIMEOUT_MS = 20 * 60_000;

/*
 * scale-out: what replicas buy on this machine. Extra copies of an app are more stacks of that
 * one app on the same namespace (same topics, database and consumer group): startStack as it
 * is, with no change to libs/testing. Every figure's baseline is the single copy measured the
 * same way in the same scenario, so the ratio is the speed-up.
 */
export async function scaleOutScenario(ctx: BenchContext, code: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let single: number | undefined;
  for (const copies of ctx.sizes.scaleOut.aggregators) {
    const eventsPerSecond = await projectWithAggregators(ctx, copies);
    single ??= eventsPerSecond;
    rows.push(row('scale-out', `projection_events_per_s:${copies}_aggregators`, 'events/s', eventsPerSecond, single));
  }
  let oneGateway: number | undefined;
  for (const copies of ctx.sizes.scaleOut.gateways) {
    const rps = await readThroughGateways(ctx, code, copies);
    oneGateway ??= rps;
    rows.push(row('scale-out', `gateway_read_rps:${copies}_gateways`, 'req/s', rps, oneGateway));
  }
  return rows;
}

/**
 * The projection corpus onto a fresh namespace followed by `copies` aggregators in one group,
 * timed from the first publish until the group has committed the last event, as in
 * `projection`. The group must be whole (every copy assigned) before the clock starts.
 */
async function projectWithAggregators(ctx: BenchContext, copies: number): Promise<number> {
  const ns = testNamespace(`bench-scale-${copies}`);
  const shape = { ...ctx.sizes.scaleOut.projection, codePrefix: 'SCALE-' };
  const events = buildCorpus(shape);
  const admin = ctx.kafka.admin();
  await admin.connect();
  const stacks: Stack[] = [];
  try {
    ctx.log(`scale-out: ${copies} aggregator(s) in one group, ${events.length} events`);
    for (let i = 0; i < copies; i++) stacks.push(await startStack({ namespace: ns, apps: ['operation-view'], build: false }));
    const groupId = `${ns.topicPrefix}operation-view`;
    await waitForMembers(admin, groupId, copies);
    const topics = DOMAIN_TOPICS.map((t) => `${ns.topicPrefix}${t}`);
    const started = Date.now();
    await publishEvents(ctx.kafka, ns.topicPrefix, events);
    const ends = await endOffsets(admin, topics);
    const done = await waitForGroupToReach(admin, groupId, topics, ends, { timeoutMs: CAUGHT_UP_TIMEOUT_MS });
    const seconds = (done - started) / 1000;
    ctx.log(`  all applied after ${seconds.toFixed(1)} s`);
    await expectViewsAtVersions(`${stacks[0].urls['operation-view']}/operations`, expectedViewVersions(events));
    return events.length / seconds;
  } finally {
    await Promise.all(stacks.map((stack) => stack.stop()));
    await admin.disconnect();
    await cleanUpStack(ns, ctx.mongoUrl, ctx.kafka).catch(() => undefined);
  }
}

/** Waits until the group is stable with `members` members, so no rebalance falls inside the timing. */
async function waitForMembers(admin: Admin, groupId: string, members: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { groups } = await admin.describeGroups([groupId]);
    if (groups[0]?.state === 'Stable' && groups[0].members.length === members) return;
    if (Date.now() > deadline)
      throw new Error(`group ${groupId}: ${groups[0]?.members.length ?? 0} of ${members} members after 120 s (${groups[0]?.state})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * gateway-read spread over `copies` gateways (the bench stack's own, and copies of it on the
 * same upstreams), the same connections in all split evenly between them, all at once.
 */
async function readThroughGateways(ctx: BenchContext, code: string, copies: number): Promise<number> {
  const path = `/api/v1/operations/${code}?year=2018`;
  const extra: Stack[] = [];
  try {
    const upstreams = Object.fromEntries(
      (['operation-view', 'population', 'budget', 'narratives', 'contributions'] as const).map((app) => [
        upstreamVariable(app),
        ctx.stack.urls[app],
      ]),
    );
    // A stack of the gateway alone points it at the bench stack's apps; the rate limit and log level as in runBench.
    const { RATE_LIMIT_MAX = '1000000', LOG_LEVEL = 'info' } = ctx.stack.envOf('api-gateway');
    const gatewayEnv = { ...upstreams, RATE_LIMIT_MAX, LOG_LEVEL };
    for (let i = 1; i < copies; i++) {
      extra.push(await startStack({ namespace: ctx.ns, apps: ['api-gateway'], build: false, appEnv: { 'api-gateway': gatewayEnv } }));
    }
    const urls = [ctx.stack.gatewayUrl, ...extra.map((stack) => stack.gatewayUrl)].map((base) => `${base}${path}`);
    const { connections, durationSeconds } = ctx.sizes.read;
    const perGateway = Math.max(1, Math.round(connections / copies));
    // Each gateway caches the view on its first read; a new one also warms up (JIT, connections
    // to the aggregator) for a second, as the bench stack's own did in gateway-read.
    for (const url of urls) if ((await fetch(url)).status !== 200) throw new Error(`GET ${url} did not answer 200`);
    for (const stack of extra) await measureLoad(`${stack.gatewayUrl}${path}`, { connections: perGateway, durationSeconds: 1 }, {}, 200);
    ctx.log(`scale-out: gateway-read on ${copies} gateway(s), ${connections} connections in all × ${durationSeconds} s`);
    const figures = await Promise.all(urls.map((url) => measureLoad(url, { connections: perGateway, durationSeconds }, {}, 200)));
    return figures.reduce((sum, f) => sum + f.rps, 0);
  } finally {
    await Promise.all(extra.map((stack) => stack.stop()));
  }
}

function upstreamVariable(app: 'operation-view' | 'population' | 'budget' | 'narratives' | 'contributions'): string {
  return app === 'operation-view' ? 'OPERATION_VIEW_URL' : `${app.toUpperCase()}_URL`;
}
