import type { Admin } from 'kafkajs';
import { resolveReplication } from './kafka';

/** Only describeCluster is asked for: a cluster of `brokers` brokers. */
const clusterOf = (brokers: number) =>
  ({
    describeCluster: async () => ({
      brokers: Array.from({ length: brokers }, (_, i) => ({ nodeId: i + 1, host: 'h', port: 9092 })),
      controller: 1,
      clusterId: 'c',
    }),
  }) as unknown as Admin;

describe('replication of the topics an app creates', () => {
  it('is sized by the cluster when unset: 1 and 1 on one broker, 2 and 1 on two, 3 and 2 from three up', async () => {
    expect(await resolveReplication(clusterOf(1))).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(await resolveReplication(clusterOf(2))).toEqual({ replicationFactor: 2, minInsyncReplicas: 1 });
    expect(await resolveReplication(clusterOf(3))).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(await resolveReplication(clusterOf(7))).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it('follows the configuration, and refuses a min ISR above the replication factor', async () => {
    expect(await resolveReplication(clusterOf(5), { replicationFactor: 5, minInsyncReplicas: 3 })).toEqual({
      replicationFactor: 5,
      minInsyncReplicas: 3,
    });
    expect(await resolveReplication(clusterOf(3), { minInsyncReplicas: 1 })).toEqual({ replicationFactor: 3, minInsyncReplicas: 1 });
    await expect(resolveReplication(clusterOf(3), { replicationFactor: 2, minInsyncReplicas: 3 })).rejects.toThrow(
      /KAFKA_MIN_INSYNC_REPLICAS \(3\) is more than/,
    );
  });
});
