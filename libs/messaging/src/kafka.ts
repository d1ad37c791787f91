import { Admin, ITopicConfig, Kafka, logCreator, logLevel, Partitioners, Producer } from 'kafkajs';
import { dlqTopicOf } from '@focus/contracts';
import { backoffDelay, sleep } from './backoff';

export interface KafkaConnection {
  clientId: string;
  brokers: string[];
}

type LevelName = 'error' | 'warn' | 'info' | 'debug';

/** kafkajs logs through this, so its lines land in the app's structured log. */
export type KafkaLogSink = (level: LevelName, message: string, extra: object) => void;

/**
 * kafkajs warnings that call for nothing, logged at debug. Every producer here is idempotent
 * with bounded retries, and kafkajs warns at its creation, in every app at every start, that
 * this "may invalidate EoS guarantees": a publish that runs out of retries is sent again later
 * (by the outbox relay) as a new message, so a subscriber may get an event twice. Ours apply
 * events by version, and the contract tells every subscriber to, so a second copy changes
 * nothing: exactly once in effect holds.
 */
const NOTHING_TO_ACT_ON = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

const LEVELS: Record<number, LevelName> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs logs every error a broker answers a request with (`Response CreateTopics(…)`) as an
 * error, the ones it retries too: a coordinator still loading, a topic another app created
 * first. Those are warnings: kafkajs retries the request or hands the error to its caller, and
 * what fails for good is logged as an error where it fails (a consumer's crash, a publish given up).
 */
function levelOf(level: number, message: string): LevelName {
  if (NOTHING_TO_ACT_ON.has(message)) return 'debug';
  if (level === logLevel.ERROR && message.startsWith('Response ')) return 'warn';
  return LEVELS[level] ?? 'info';
}

export function createKafka(connection: KafkaConnection, sink?: KafkaLogSink): Kafka {
  const logCreatorFn: logCreator | undefined = sink
    ? () =>
        ({ level, log }) => {
          const { message, ...extra } = log;
          sink(levelOf(level, message), `kafkajs: ${message}`, extra);
        }
    : undefined;
  return new Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    logLevel: logLevel.WARN,
    logCreator: logCreatorFn,
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
  });
}

/**
 * The relay's producer. Idempotent (the broker drops a retried batch it already wrote) with
 * acks from all in-sync replicas and one request in flight, so a retry never reorders a key.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // The Java client's murmur2 partitioning: other teams' producers put a key where we do.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Retention of the main topic; -1 keeps events forever, so a rebuild can replay them all. */
  retentionMs: number;
  /** Also create `<topic>.dlq`, kept as long as the main topic. */
  withDeadLetterTopic?: boolean;
}

/** KAFKA_REPLICATION_FACTOR and KAFKA_MIN_INSYNC_REPLICAS; unset, derived from the cluster. */
export interface ReplicationSettings {
  replicationFactor?: number;
  minInsyncReplicas?: number;
}

/**
 * The copies a topic an app creates gets, and how many of them must have a write before the
 * broker acknowledges it (producers send with acks=all). Unset: three copies where the
 * cluster has three brokers or more (as many as it has otherwise), and all but one of them in
 * sync, at most two: a three-broker cluster keeps taking writes with one broker down and
 * loses no acknowledged write while one more fails. A single broker gets 1 and 1.
 */
export async function resolveReplication(admin: Admin, settings: ReplicationSettings = {}): Promise<Required<ReplicationSettings>> {
  const brokers = settings.replicationFactor === undefined ? (await admin.describeCluster()).brokers.length : 0;
  const replicationFactor = settings.replicationFactor ?? Math.max(1, Math.min(3, brokers));
  const minInsyncReplicas = settings.minInsyncReplicas ?? Math.max(1, Math.min(2, replicationFactor - 1));
  if (minInsyncReplicas > replicationFactor) {
    throw new Error(
      `KAFKA_MIN_INSYNC_REPLICAS (${minInsyncReplicas}) is more than KAFKA_REPLICATION_FACTOR (${replicationFactor}): no write could ever be acknowledged`,
    );
  }
  return { replicationFactor, minInsyncReplicas };
}

/**
 * Creates topics explicitly at start-up: auto-creation would give them the broker's default
 * partition count, replication and retention, and hide a typo in a topic name as a new empty
 * topic. Topics that exist already are left as they are (replication included).
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[], replication: ReplicationSettings = {}): Promise<void> {
  const topicsOf = ({ replicationFactor, minInsyncReplicas }: Required<ReplicationSettings>): ITopicConfig[] =>
    specs.flatMap((spec) => {
      const configEntries = [
        { name: 'retention.ms', value: String(spec.retentionMs) },
        { name: 'min.insync.replicas', value: String(minInsyncReplicas) },
      ];
      const main = { topic: spec.topic, numPartitions: spec.partitions, replicationFactor, configEntries };
      return spec.withDeadLetterTopic === false
        ? [main]
        : [main, { topic: dlqTopicOf(spec.topic), numPartitions: 1, replicationFactor, configEntries }];
    });
  // A broker that has just started (or just created a topic) answers "does not host this
  // topic-partition" for a moment: retriable errors are retried, not passed to start-up.
  for (let attempt = 1; ; attempt++) {
    try {
      const wanted = topicsOf(await resolveReplication(admin, replication));
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t.topic));
      if (missing.length === 0) return;
      try {
        await admin.createTopics({ topics: missing, waitForLeaders: true });
      } catch (error) {
        // Another instance may have created them between our list and create: fine.
        const now = new Set(await admin.listTopics());
        if (missing.some((t) => !now.has(t.topic))) throw error;
      }
      return;
    } catch (error) {
      if (attempt >= 10 || !(error as { retriable?: boolean }).retriable) throw error;
      await sleep(backoffDelay(attempt, { initialMs: 200, maxMs: 2_000 }));
    }
  }
}
