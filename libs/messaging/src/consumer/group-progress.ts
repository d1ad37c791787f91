import type { Admin } from 'kafkajs';

/** Offsets by `topic/partition`. */
export type PartitionOffsets = Map<string, number>;

/** Each partition's end offset (high watermark): where a consumer is once it has read everything. */
export async function endOffsets(admin: Admin, topics: readonly string[]): Promise<PartitionOffsets> {
  const ends: PartitionOffsets = new Map();
  for (const topic of topics) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${partition}`, Number(high));
  }
  return ends;
}

/**
 * What a consumer group has committed per partition (0 where nothing yet). Our consumers
 * commit an offset only once its message has had its effect, so this is work done.
 */
export async function committedOffsets(admin: Admin, groupId: string, topics: readonly string[]): Promise<PartitionOffsets> {
  const committed: PartitionOffsets = new Map();
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics: [...topics] })) {
    for (const { partition, offset } of partitions) committed.set(`${topic}/${partition}`, Math.max(0, Number(offset)));
  }
  return committed;
}

/** How many messages the group still has to commit before it reaches `targets`. */
export function messagesBehind(committed: PartitionOffsets, targets: PartitionOffsets): number {
  let behind = 0;
  for (const [partition, end] of targets) behind += Math.max(0, end - (committed.get(partition) ?? 0));
  return behind;
}

export function totalOffsets(offsets: PartitionOffsets): number {
  let sum = 0;
  for (const offset of offsets.values()) sum += offset;
  return sum;
}
