import { endOffsets } from '@focus/messaging';
import { BenchContext } from './bench-context';
import { waitForGroupToReach } from './consumer-progress';
import { DOMAIN_TOPICS } from './topics';

const OWNERS = ['population', 'budget', 'narratives', 'contributions'] as const;

/**
 * Waits until everything written so far is in the read model: every owner service has
 * published its whole outbox, and the aggregator's group has committed every event on the
 * four topics. Returns when that was seen.
 */
export async function waitUntilProjected(ctx: BenchContext, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (const owner of OWNERS) await waitForEmptyOutbox(`${ctx.stack.urls[owner]}/health/ready`, deadline);
  const topics = DOMAIN_TOPICS.map((t) => `${ctx.ns.topicPrefix}${t}`);
  const admin = ctx.kafka.admin();
  await admin.connect();
  try {
    return await waitForGroupToReach(admin, `${ctx.ns.topicPrefix}operation-view`, topics, await endOffsets(admin, topics), {
      timeoutMs: Math.max(1, deadline - Date.now()),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Until the service's readiness reports no document with unpublished events. */
async function waitForEmptyOutbox(readyUrl: string, deadline: number): Promise<void> {
  for (;;) {
    const answer = (await (await fetch(readyUrl)).json()) as { checks?: { outbox?: { detail?: { backlog?: Record<string, number> } } } };
    const backlog = answer.checks?.outbox?.detail?.backlog;
    if (backlog && Object.values(backlog).every((count) => count === 0)) return;
    if (Date.now() > deadline) throw new Error(`${readyUrl} still reports an outbox backlog: ${JSON.stringify(backlog)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
