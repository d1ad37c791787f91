import type { Admin } from 'kafkajs';
import { committedOffsets, messagesBehind, PartitionOffsets } from '@focus/messaging';

/**
 * Waits until consumer group `groupId` has committed every partition up to `targets` (our
 * consumers commit only what they have applied) and returns when that was seen, within
 * `pollMs`.
 */
export async function waitForGroupToReach(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
  targets: PartitionOffsets,
  options: { timeoutMs: number; pollMs?: number },
): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  let behind = Infinity;
  while (Date.now() < deadline) {
    behind = messagesBehind(await committedOffsets(admin, groupId, topics), targets);
    if (behind === 0) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
  throw new Error(`consumer group ${groupId} was still ${behind} messages behind after ${options.timeoutMs} ms`);
}
