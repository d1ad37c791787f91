import { BenchContext } from '../bench-context';
import { BenchRow, row } from '../results';
import { expectViewsAtVersions } from './projection';

interface RebuildStatus {
  phase: 'replaying' | 'swapping' | 'tailing' | 'done' | 'failed';
  eventsRead: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

const TIMEOUT_MS = 20 * 60_000;

/**
 * rebuild: the aggregator replays every topic from offset 0 (the projection corpus and all
 * else written so far) into a fresh collection and swaps it in. Timed by the aggregator's
 * own status, from the request to done (which includes its short tail after the swap).
 * The rebuilt model must hold every corpus operation at its last version.
 */
export async function rebuildScenario(ctx: BenchContext, expectedVersions: Map<string, number>): Promise<BenchRow[]> {
  const base = `${ctx.stack.urls['operation-view']}/admin/rebuild`;
  const started = await fetch(base, { method: 'POST' });
  if (started.status !== 202) throw new Error(`rebuild: POST answered ${started.status}: ${await started.text()}`);
  ctx.log('rebuild: replaying every topic into a fresh collection');
  const deadline = Date.now() + TIMEOUT_MS;
  let status = (await started.json()) as RebuildStatus;
  while (status.phase !== 'done' && status.phase !== 'failed') {
    if (Date.now() > deadline) throw new Error(`rebuild: still ${status.phase} after ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    status = (await (await fetch(base)).json()) as RebuildStatus;
  }
  if (status.phase === 'failed') throw new Error(`rebuild failed: ${status.error}`);
  await expectViewsAtVersions(`${ctx.stack.urls['operation-view']}/operations`, expectedVersions);
  const seconds = (Date.parse(status.finishedAt ?? new Date().toISOString()) - Date.parse(status.startedAt)) / 1000;
  return [row('rebuild', 'seconds', 's', seconds, null, '< 60'), row('rebuild', 'events_per_s', 'events/s', status.eventsRead / seconds)];
}
